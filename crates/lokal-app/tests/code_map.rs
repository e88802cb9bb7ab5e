//! The code maps stay complete: lokal-app's `//!` names every module of the crate, and
//! docs/ARCHITECTURE.md names every source file of the layers its capability table covers, so a
//! newcomer who looks a file up finds it (a new module without a line fails here).

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().and_then(Path::parent).expect("workspace root")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `.rs` files directly in `dir`, without the extension, `lib` and `mod` left out.
fn modules(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".rs")).map(str::to_owned))
        .filter(|n| n != "lib" && n != "mod")
        .collect();
    out.sort();
    out
}

#[test]
fn lokal_apps_docs_name_every_module() {
    let lib = read(&root().join("crates/lokal-app/src/lib.rs"));
    let docs: String = lib.lines().filter_map(|l| l.strip_prefix("//!")).collect::<Vec<_>>().join("\n");
    let missing: Vec<String> = modules(&root().join("crates/lokal-app/src"))
        .into_iter()
        .filter(|m| !docs.contains(&format!("[`{m}`]")) && !docs.contains(&format!("`{m}`")))
        .collect();
    assert!(missing.is_empty(), "lokal-app's //! does not list: {missing:?}");
}

#[test]
fn the_architecture_map_names_every_file_of_the_layers() {
    let map = read(&root().join("docs/ARCHITECTURE.md"));
    let mut missing = Vec::new();
    for dir in [
        "crates/lokal-core/src",
        "crates/lokal-store/src",
        "crates/lokal-app/src",
        "crates/lokal-api/src/routes",
        "crates/lokal-web/src",
    ] {
        for m in modules(&root().join(dir)) {
            if !map.contains(&format!("{m}.rs")) {
                missing.push(format!("{dir}/{m}.rs"));
            }
        }
    }
    assert!(missing.is_empty(), "docs/ARCHITECTURE.md does not say where these are: {missing:?}");
}
