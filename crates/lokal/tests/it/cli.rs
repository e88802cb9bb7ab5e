//! The command line: `lokal admin create`, `lokal migrate`, `lokal print-config`.

use std::io::BufRead;
use std::process::{Child, Command, Stdio};

/// The `lokal` binary, with none of the developer's `LOKAL_*` settings.
pub(crate) fn lokal() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_lokal"));
    // Keep the developer's environment from changing what is tested.
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("LOKAL_")) {
        c.env_remove(k);
    }
    c
}

/// Reads a started `lokal serve`'s piped standard output until it says where it runs, keeps
/// draining it (so the server never blocks on a full pipe), and returns its base URL.
pub(crate) fn base_of(child: &mut Child) -> String {
    let mut out = std::io::BufReader::new(child.stdout.take().expect("piped stdout"));
    let mut line = String::new();
    while !line.contains("Lokal is running at") {
        line.clear();
        assert!(out.read_line(&mut line).expect("read") > 0, "the server stopped before it ran");
    }
    std::thread::spawn(move || for _ in out.lines() {});
    let addr = line.split("http://").nth(1).and_then(|r| r.split('/').next()).expect("address");
    format!("http://{addr}")
}

#[test]
fn admin_create_makes_an_operator_and_is_idempotent() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().to_str().expect("utf-8 path");
    let run = |password_flag: bool| {
        let mut c = lokal();
        c.args(["admin", "create", "--email", "Ops@Example.com", "--data-dir", data]);
        if password_flag {
            c.args(["--password", "ops password 1"]);
        } else {
            c.env("LOKAL_ADMIN_PASSWORD", "ops password 1");
        }
        c.output().expect("run lokal")
    };
    let first = run(false);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let said = String::from_utf8_lossy(&first.stdout);
    assert!(said.starts_with("created platform admin ops@example.com"), "{said}");
    let second = run(true);
    assert!(second.status.success());
    assert!(String::from_utf8_lossy(&second.stdout).starts_with("granted platform admin ops@example.com"));
    assert!(dir.path().join("lokal.db").exists());
}

#[test]
fn admin_create_reads_the_password_from_standard_input() {
    let dir = tempfile::tempdir().expect("dir");
    let mut child = lokal()
        .args(["admin", "create", "--email", "stdin@example.com", "--data-dir", dir.path().to_str().expect("path")])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    use std::io::Write;
    child.stdin.take().expect("stdin").write_all(b"a long password\n").expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success());
    let weak = lokal()
        .args([
            "admin",
            "create",
            "--email",
            "weak@example.com",
            "--password",
            "short",
            "--data-dir",
            dir.path().to_str().expect("path"),
        ])
        .output()
        .expect("run");
    assert!(!weak.status.success(), "a too-short password is refused");
}

#[test]
fn migrate_creates_the_database_and_print_config_redacts_secrets() {
    let dir = tempfile::tempdir().expect("dir");
    let out = lokal().args(["migrate", "--data-dir", dir.path().to_str().expect("path")]).output().expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let cfg = lokal()
        .arg("print-config")
        .env("LOKAL_DATABASE_URL", "postgres://lokal:hunter22@db/lokal")
        .env("LOKAL_SERVER_PORT", "9123")
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&cfg.stdout);
    assert!(cfg.status.success());
    assert!(text.contains("port = 9123"), "{text}");
    assert!(text.contains("postgres://lokal:***@db/lokal"));
    assert!(!text.contains("hunter22"));
    let typo = lokal().arg("print-config").env("LOKAL_SERVER_PROT", "1").output().expect("run");
    assert!(!typo.status.success(), "a misspelt setting is an error");
}

#[test]
fn simulate_mdrp_writes_the_evaluators_files_for_one_day_and_a_csv_for_a_folder() {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../lokal-dispatch/tests/data");
    let out = tempfile::tempdir().expect("dir");
    let one = lokal()
        .args(["simulate", "mdrp", "--instance"])
        .arg(data.join("0r50t100s1p100"))
        .arg("--out")
        .arg(out.path().join("one"))
        .output()
        .expect("run lokal");
    assert!(one.status.success(), "{}", String::from_utf8_lossy(&one.stderr));
    let said = String::from_utf8_lossy(&one.stdout);
    assert!(said.contains("feasible (strict checker): yes") && said.contains("of 242"), "{said}");
    for f in ["solution_info_assignments.txt", "solution_info_orders.txt", "solution_info_couriers.txt", "metrics.txt"]
    {
        assert!(out.path().join("one").join(f).exists(), "{f}");
    }
    let all = lokal()
        .args(["simulate", "mdrp", "--all"])
        .arg(&data)
        .arg("--out")
        .arg(out.path().join("all"))
        .output()
        .expect("run");
    assert!(all.status.success(), "{}", String::from_utf8_lossy(&all.stderr));
    let csv = std::fs::read_to_string(out.path().join("all/results.csv")).expect("csv");
    assert!(
        csv.starts_with("instance,orders,delivered")
            && csv.lines().nth(1).is_some_and(|l| l.starts_with("0r50t100s1p100,242,")),
        "{csv}"
    );
    assert!(said.contains("click-to-door estimate at placement: mean absolute error"), "{said}");
    // The written solution passes `lokal mdrp check`; with one pickup a minute early it does not.
    let check = |dir: &std::path::Path| {
        lokal()
            .args(["mdrp", "check", "--instance"])
            .arg(data.join("0r50t100s1p100"))
            .arg("--solution")
            .arg(dir)
            .output()
            .expect("run")
    };
    let ok = check(&out.path().join("one"));
    assert!(ok.status.success() && String::from_utf8_lossy(&ok.stdout).contains("FEASIBLE (strict)"), "{ok:?}");
    let bad = out.path().join("bad");
    std::fs::create_dir_all(&bad).expect("dir");
    for f in ["solution_info_assignments.txt", "solution_info_orders.txt", "solution_info_couriers.txt"] {
        std::fs::copy(out.path().join("one").join(f), bad.join(f)).expect("copy");
    }
    let orders = std::fs::read_to_string(bad.join("solution_info_orders.txt")).expect("read");
    let mut lines: Vec<String> = orders.lines().map(str::to_owned).collect();
    let mut f: Vec<String> = lines[1].split(' ').map(str::to_owned).collect();
    f[3] = (f[3].parse::<i64>().expect("pickup") - 1).to_string();
    lines[1] = f.join(" ");
    std::fs::write(bad.join("solution_info_orders.txt"), lines.join("\n")).expect("write");
    let refused = check(&bad);
    assert!(
        !refused.status.success() && String::from_utf8_lossy(&refused.stdout).contains("INFEASIBLE"),
        "{refused:?}"
    );
    let missing = lokal()
        .args(["simulate", "mdrp", "--instance", "/nonexistent", "--out"])
        .arg(out.path())
        .output()
        .expect("run");
    assert!(!missing.status.success());
}

/// `lokal payments check` with WeChat Pay credentials from the environment (the test keys of
/// crates/lokal-pay/tests/data), `change` applied on top.
fn payments_check(change: &[(&str, &str)]) -> std::process::Output {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../lokal-pay/tests/data");
    let mut c = lokal();
    c.args(["payments", "check"])
        .current_dir(std::env::temp_dir())
        .env("LOKAL_WECHATPAY_MCHID", "1900000109")
        .env("LOKAL_WECHATPAY_MERCHANT_KEY_PATH", format!("{data}/merchant_key.pem"))
        .env("LOKAL_WECHATPAY_MERCHANT_SERIAL_NO", "3775B6A45ACD588826D15E583A95F5DD")
        .env("LOKAL_WECHATPAY_PLATFORM_PUBLIC_KEY_PATH", format!("{data}/platform_pub.pem"))
        .env("LOKAL_WECHATPAY_PLATFORM_PUBLIC_KEY_ID", "PUB_KEY_ID_0119000001092024")
        .env("LOKAL_WECHATPAY_API_V3_KEY", "0123456789abcdefghijklmnopqrstuv");
    for (k, v) in change {
        c.env(k, v);
    }
    c.output().expect("run lokal")
}

#[test]
fn payments_check_loads_the_keys_and_signs_a_test_request_offline() {
    let ok = payments_check(&[]);
    let out = String::from_utf8_lossy(&ok.stdout);
    assert!(ok.status.success(), "{out}{}", String::from_utf8_lossy(&ok.stderr));
    assert!(
        out.contains("serial 3775B6A45ACD588826D15E583A95F5DD") && out.contains("PUB_KEY_ID_0119000001092024"),
        "{out}"
    );
    assert!(out.contains("Authorization: WECHATPAY2-SHA256-RSA2048 mchid=\"1900000109\""), "{out}");
    assert!(!out.contains("0123456789abcdef"), "the APIv3 key is never printed: {out}");
}

#[test]
fn payments_check_names_the_setting_at_fault_and_fails() {
    for (change, named) in [
        (("LOKAL_WECHATPAY_MCHID", ""), "mchid is empty"),
        (("LOKAL_WECHATPAY_MERCHANT_KEY_PATH", "/nonexistent/apiclient_key.pem"), "merchant_key_path"),
        // A public key where the private key belongs.
        (
            (
                "LOKAL_WECHATPAY_MERCHANT_KEY_PATH",
                concat!(env!("CARGO_MANIFEST_DIR"), "/../lokal-pay/tests/data/merchant_pub.pem"),
            ),
            "not a PEM-encoded RSA key",
        ),
        (("LOKAL_WECHATPAY_PLATFORM_PUBLIC_KEY_ID", ""), "platform_public_key_id is not set"),
        (("LOKAL_WECHATPAY_API_V3_KEY", "too short"), "api_v3_key"),
    ] {
        let r = payments_check(&[change]);
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(1), "{change:?}: {err}");
        assert!(err.contains(named), "{change:?}: {err}");
        assert!(!err.contains("0123456789abcdef") && !err.contains("too short"), "no secret in errors: {err}");
    }
}

#[test]
fn print_config_redacts_the_wechat_pay_api_v3_key() {
    let out = lokal()
        .arg("print-config")
        .current_dir(std::env::temp_dir())
        .env("LOKAL_WECHATPAY_API_V3_KEY", "0123456789abcdefghijklmnopqrstuv")
        .env("LOKAL_WECHATPAY_MCHID", "1900000109")
        .output()
        .expect("run lokal");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("[wechatpay]") && text.contains("mchid = \"1900000109\""), "{text}");
    assert!(text.contains("api_v3_key = \"***\"") && !text.contains("0123456789abcdef"), "{text}");
}
