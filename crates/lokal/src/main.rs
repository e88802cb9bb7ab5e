//! `lokal`: the command line. See `lokal --help`.

use anyhow::Context;
use clap::{Parser, Subcommand};
use lokal::config::Config;
use lokal::demo::CityOptions;
use lokal::{Application, demo};
use lokal_app::SystemClock;
use lokal_core::geo::LatLng;
use std::io::BufRead;
use std::path::PathBuf;
use std::sync::Arc;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(name = "lokal", version, about = "Lokal: open-source O2O local-life commerce in one binary")]
struct Cli {
    /// A TOML configuration file (default: ./lokal.toml if present).
    #[arg(long, global = true, env = "LOKAL_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Default)]
struct DbArgs {
    /// Directory for the embedded SQLite database (default ./lokal-data).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// `postgres://…` to run on PostgreSQL instead of the embedded SQLite file.
    #[arg(long)]
    database_url: Option<String>,
}

#[derive(clap::Args)]
struct CityArgs {
    /// Demo city centre as LAT,LNG.
    #[arg(long, default_value = "31.2304,121.4737", value_parser = parse_center)]
    center: LatLng,
    /// Demo city size in stores.
    #[arg(long, default_value_t = 240)]
    stores: usize,
    /// Demo city random seed.
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

impl CityArgs {
    fn options(&self) -> CityOptions {
        CityOptions { seed: self.seed, center: self.center, stores: self.stores }
    }
}

fn parse_center(s: &str) -> Result<LatLng, String> {
    let (lat, lng) = s.split_once(',').ok_or("expected LAT,LNG")?;
    let lat: f64 = lat.trim().parse().map_err(|_| "latitude is not a number")?;
    let lng: f64 = lng.trim().parse().map_err(|_| "longitude is not a number")?;
    LatLng::new(lat, lng).map_err(|e| format!("{}: {}", e.field, lokal_i18n::render(lokal_i18n::Lang::En, &e.msg)))
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (API, pages, background jobs).
    Serve {
        /// Address to bind.
        #[arg(long)]
        host: Option<String>,
        /// Port to bind.
        #[arg(long)]
        port: Option<u16>,
        #[command(flatten)]
        db: DbArgs,
        /// Seed the demo city on first start and print its logins.
        #[arg(long)]
        demo: bool,
        #[command(flatten)]
        city: CityArgs,
    },
    /// Run the server with the demo city (same as `serve --demo`).
    Demo {
        /// Port to bind.
        #[arg(long)]
        port: Option<u16>,
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        city: CityArgs,
    },
    /// Apply database migrations and exit.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Operators' tasks.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Payment providers.
    Payments {
        #[command(subcommand)]
        command: PaymentsCommand,
    },
    /// Reconcile a day against the payment providers' bills: every line of each bill is matched
    /// with the ledger's payments, card recharges and refunds of that day (Beijing time);
    /// differences are listed (and kept for the operators' page). Exit status 0 only if every
    /// provider's bill was had and nothing differs.
    Reconcile {
        /// The day, `YYYY-MM-DD`.
        #[arg(long)]
        date: String,
        /// Only this provider (`wechatpay`, `sandbox`); every configured one otherwise.
        #[arg(long)]
        provider: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// The money ledger.
    Ledger {
        #[command(subcommand)]
        command: LedgerCommand,
    },
    /// Print the effective configuration with secrets redacted.
    PrintConfig,
    /// Benchmarks that print a Markdown report.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
    /// Run the dispatcher on recorded days.
    Simulate {
        #[command(subcommand)]
        command: SimulateCommand,
    },
    /// Meal-delivery (MDRP) solutions.
    Mdrp {
        #[command(subcommand)]
        command: MdrpCommand,
    },
}

#[derive(Subcommand)]
enum MdrpCommand {
    /// Check a solution (the official evaluator's three files, written by any solver) against
    /// every rule of the model, including those the official script skips. Prints each violation;
    /// exit status 0 only if there is none.
    Check {
        /// The instance folder.
        #[arg(long)]
        instance: PathBuf,
        /// The folder holding solution_info_assignments.txt, _orders.txt and _couriers.txt.
        #[arg(long)]
        solution: PathBuf,
    },
}

/// The policy's defaults, shown by `--help`.
const DEFAULTS: lokal_dispatch::sim::PolicyParams = lokal_dispatch::sim::PolicyParams::DEFAULT;

#[derive(Subcommand)]
enum SimulateCommand {
    /// A meal-delivery day of the MDRP library (Grubhub): writes the official evaluator's three
    /// solution files and metrics.txt into --out; with --all, every instance folder of a
    /// directory, one CSV row each (printed, and written to --out/results.csv).
    Mdrp {
        /// One instance folder.
        #[arg(long, conflicts_with = "all")]
        instance: Option<PathBuf>,
        /// A folder of instance folders.
        #[arg(long)]
        all: Option<PathBuf>,
        /// Where to write.
        #[arg(long)]
        out: PathBuf,
        /// Minutes between decisions.
        #[arg(long, default_value_t = DEFAULTS.epoch)]
        epoch: i64,
        /// Decide from estimated ready times: a ready time is known once it passes; until then a
        /// restaurant's orders are planned with the --prep-quantile of its revealed preparation
        /// times (--assumed-prep before any).
        #[arg(long)]
        estimated_ready: bool,
        /// The preparation time assumed with --estimated-ready before any is revealed, minutes.
        #[arg(long, default_value_t = DEFAULTS.assumed_prep)]
        assumed_prep: i64,
        /// The quantile of revealed preparation times planned with (--estimated-ready).
        #[arg(long, default_value_t = DEFAULTS.prep_quantile)]
        prep_quantile: f64,
        /// Threads for --all.
        #[arg(long, default_value_t = 2)]
        threads: usize,
        /// Most orders in one bundle.
        #[arg(long, default_value_t = DEFAULTS.max_bundle)]
        max_bundle: usize,
        /// Weight of a courier's busy minutes against click-to-door minutes.
        #[arg(long, default_value_t = DEFAULTS.courier_weight)]
        courier_weight: f64,
        /// Orders of a bundle are ready within this many minutes of each other.
        #[arg(long, default_value_t = DEFAULTS.bundle_window)]
        bundle_window: i64,
        /// Send couriers this many minutes earlier than strictly needed.
        #[arg(long, default_value_t = DEFAULTS.lead)]
        lead: i64,
        /// Send idle couriers towards restaurants with recent orders (prepositioning).
        #[arg(long)]
        reposition: bool,
        /// Serve the most urgent restaurant first (instead of the cheapest move across all).
        #[arg(long)]
        urgent_first: bool,
        /// How much the minutes an order already waited count against its cost (cheapest first).
        #[arg(long, default_value_t = DEFAULTS.age_weight)]
        age_weight: f64,
        /// How much a restaurant's regret (its next-best courier's extra cost) moves it ahead.
        #[arg(long, default_value_t = DEFAULTS.regret_weight)]
        regret_weight: f64,
    },
}

#[derive(Subcommand)]
enum PaymentsCommand {
    /// Check the configured providers' credentials offline: the keys load, and a test request is
    /// signed (and the signature checked). Exit status 0 only if so; nothing secret is printed.
    Check,
}

#[derive(Subcommand)]
enum LedgerCommand {
    /// Prove the ledger holds: every entry sums to zero, the journal sums to zero, and the
    /// clearing account equals the unused value of active vouchers, menu orders in progress and
    /// refunds on their way. Exit status 0 only if so.
    Check {
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Dashboards over a year of a demo city: generate the orders into the database, build the
    /// rollups, time every page. Use a fresh --data-dir or database.
    Dashboards {
        /// Stores in the demo city.
        #[arg(long, default_value_t = 200)]
        stores: usize,
        /// Orders over the period.
        #[arg(long, default_value_t = 5_000_000)]
        orders: u64,
        /// Days of history, ending today.
        #[arg(long, default_value_t = 365)]
        days: i64,
        /// Consumers placing them.
        #[arg(long, default_value_t = 50_000)]
        consumers: usize,
        /// Random seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Payment → voucher message handed to the gateway (Lokal's signed webhook to a local
    /// gateway): the latency per payment, with buyers paying at once. Use a fresh --data-dir.
    Messages {
        /// Payments to time.
        #[arg(long, default_value_t = 500)]
        payments: usize,
        /// Buyers paying at once (each on a deal of its own; at most the demo's deals).
        #[arg(long, default_value_t = 4)]
        concurrency: usize,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Photo uploads: the processing time of one upload by format and size.
    Media {
        /// Uploads of each kind to time.
        #[arg(long, default_value_t = 20)]
        runs: usize,
    },
    /// The discovery index in process: build a city and time nearby queries.
    Nearby {
        /// Stores in the generated city.
        #[arg(long, default_value_t = 1_000_000)]
        stores: usize,
        /// Queries to time.
        #[arg(long, default_value_t = 10_000)]
        queries: usize,
        /// Random seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Also load the stores into PostGIS at this PostgreSQL URL and time the same KNN query.
        #[arg(long)]
        postgis: Option<String>,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create a platform admin (or make an existing account one). The password comes from
    /// --password, else LOKAL_ADMIN_PASSWORD, else the first line of standard input.
    Create {
        /// The admin's e-mail address.
        #[arg(long)]
        email: String,
        /// The password (prefer LOKAL_ADMIN_PASSWORD or standard input: flags show in `ps`).
        #[arg(long, env = "LOKAL_ADMIN_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
}

fn apply_db(config: &mut Config, db: DbArgs) {
    if let Some(d) = db.data_dir {
        config.database.data_dir = d;
    }
    if let Some(u) = db.database_url {
        config.database.url = u;
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let mut config = Config::load(cli.config.as_deref(), std::env::vars())?;
    let filter =
        EnvFilter::try_from_default_env().or_else(|_| EnvFilter::try_new(&config.log.filter)).context("log filter")?;
    // Colours only on a terminal: a log written to a file or a pipe stays plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(ansi)
        .with_writer(std::io::stderr)
        .init();
    let clock = Arc::new(SystemClock);
    match cli.command {
        Command::Serve { host, port, db, demo, city } => {
            config.server.host = host.unwrap_or(config.server.host);
            config.server.port = port.unwrap_or(config.server.port);
            apply_db(&mut config, db);
            config.settle_for_serving(demo)?;
            serve(config, clock, demo.then(|| city.options())).await
        }
        Command::Demo { port, db, city } => {
            config.server.port = port.unwrap_or(config.server.port);
            apply_db(&mut config, db);
            config.settle_for_serving(true)?;
            serve(config, clock, Some(city.options())).await
        }
        Command::Migrate { db } => {
            apply_db(&mut config, db);
            lokal::open_app(&config, clock).await?;
            println!("migrations applied to {}", lokal::config::redact_url(&config.database_url()));
            Ok(())
        }
        Command::Admin { command: AdminCommand::Create { email, password, db } } => {
            apply_db(&mut config, db);
            let password = match password {
                Some(p) => p,
                None => std::io::stdin().lock().lines().next().context("no password on standard input")??,
            };
            let app = lokal::open_app(&config, clock).await?;
            let (user, created) = app.create_admin(&email, &password).await?;
            println!(
                "{} platform admin {} ({})",
                if created { "created" } else { "granted" },
                user.email.unwrap_or_default(),
                user.id
            );
            Ok(())
        }
        Command::Bench { command: BenchCommand::Dashboards { stores, orders, days, consumers, seed, db } } => {
            apply_db(&mut config, db);
            let app = lokal::open_app(&config, clock).await?;
            let o = lokal::dashbench::Options {
                stores,
                orders,
                days: days.clamp(1, 800),
                consumers: consumers.max(1),
                seed,
            };
            println!("{}", lokal::dashbench::run(&app, o).await?);
            Ok(())
        }
        Command::Bench { command: BenchCommand::Messages { payments, concurrency, db } } => {
            apply_db(&mut config, db);
            println!("{}", lokal::msgbench::run(&config, payments.max(1), concurrency).await?);
            Ok(())
        }
        Command::Bench { command: BenchCommand::Media { runs } } => {
            let report = tokio::task::spawn_blocking(move || lokal::mediabench::run(runs)).await??;
            println!("{report}");
            Ok(())
        }
        Command::Bench { command: BenchCommand::Nearby { stores, queries, seed, postgis } } => {
            println!("{}", lokal::bench::nearby(stores, queries, seed, postgis.as_deref()).await?);
            Ok(())
        }
        Command::Payments { command: PaymentsCommand::Check } => {
            let now = lokal_app::Clock::now(&*clock).millis().div_euclid(1000);
            match lokal::payments_check(&config, now) {
                Ok(report) => print!("{report}"),
                Err(e) => {
                    eprintln!("lokal payments check: {e:#}");
                    std::process::exit(1);
                }
            }
            Ok(())
        }
        Command::Reconcile { date, provider, db } => {
            apply_db(&mut config, db);
            let app = lokal::open_app(&config, clock).await?;
            let providers = match provider {
                Some(p) => vec![p],
                None => app.gateway_names().into_iter().map(str::to_owned).collect(),
            };
            if providers.is_empty() {
                anyhow::bail!("no payment provider is configured");
            }
            let mut clean = true;
            for p in providers {
                match app.reconcile_day(&p, &date).await {
                    Ok(r) => {
                        clean &= r.items.iter().all(|i| i.resolved_at.is_some());
                        print!("{}", lokal::reconcile_report(&r));
                    }
                    Err(e) => {
                        clean = false;
                        println!("{p} {date}: {}", lokal_i18n::render(lokal_i18n::Lang::En, &e.msg));
                    }
                }
            }
            if !clean {
                std::process::exit(1);
            }
            Ok(())
        }
        Command::Ledger { command: LedgerCommand::Check { db } } => {
            apply_db(&mut config, db);
            let app = lokal::open_app(&config, clock).await?;
            let r = app.ledger_check().await?;
            println!("{}", lokal::ledger_report(&r));
            if !r.holds() {
                std::process::exit(1);
            }
            Ok(())
        }
        Command::Simulate {
            command:
                SimulateCommand::Mdrp {
                    instance,
                    all,
                    out,
                    epoch,
                    estimated_ready,
                    assumed_prep,
                    threads,
                    max_bundle,
                    courier_weight,
                    bundle_window,
                    lead,
                    reposition,
                    urgent_first,
                    age_weight,
                    regret_weight,
                    prep_quantile,
                },
        } => {
            let p = lokal_dispatch::sim::PolicyParams {
                epoch,
                known_ready: !estimated_ready,
                assumed_prep,
                prep_quantile,
                max_bundle,
                courier_weight,
                bundle_window,
                lead,
                reposition,
                global: !urgent_first,
                age_weight,
                regret_weight,
            };
            match (instance, all) {
                (Some(dir), _) => {
                    let r = lokal::simulate::run(&dir, &p)?;
                    lokal::simulate::write(&dir, &r, &out)?;
                    print!("{}", lokal::simulate::summary(&r));
                    if !r.violations.is_empty() {
                        std::process::exit(1);
                    }
                }
                (None, Some(root)) => {
                    let csv = lokal::simulate::run_all(&root, &out, &p, threads)?;
                    std::fs::write(out.join("results.csv"), &csv)?;
                    print!("{csv}");
                }
                (None, None) => anyhow::bail!("name an --instance folder or --all of them"),
            }
            Ok(())
        }
        Command::Mdrp { command: MdrpCommand::Check { instance, solution } } => {
            let (report, feasible) = lokal::simulate::check_files(&instance, &solution)?;
            print!("{report}");
            if !feasible {
                std::process::exit(1);
            }
            Ok(())
        }
        Command::PrintConfig => {
            print!("{}", config.redacted_toml()?);
            Ok(())
        }
    }
}

async fn serve(config: Config, clock: Arc<SystemClock>, demo_city: Option<CityOptions>) -> anyhow::Result<()> {
    let server = Application::build(&config, clock).await?;
    if let Some(city) = demo_city {
        if demo::seed(server.app(), city).await? {
            println!(
                "Seeded the demo city: {} stores around {:.4},{:.4}.",
                city.stores,
                city.center.lat(),
                city.center.lng()
            );
        }
        println!("Demo logins (password: {}):", demo::DEMO_PASSWORD);
        for (email, what) in demo::DEMO_LOGINS {
            println!("  {email:<22} {what}");
        }
    }
    let addr = server.local_addr()?;
    println!(
        "Lokal is running at http://{addr}/  (API: http://{addr}/api/docs, database: {})",
        lokal::config::redact_url(&config.database_url())
    );
    server.run_until(shutdown_signal()).await?;
    println!("Lokal stopped.");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
}
