//! Embeds every catalogue file under `locales/<lang>/*.ftl` in the library: adding a file to a
//! language directory is all it takes (the catalogue test then insists on its twin).

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    // Read at run time, not baked in with `env!`: a build script compiled in one checkout and
    // reused from a copied target directory would otherwise embed that checkout's catalogues.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest).join("locales");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut out = String::new();
    for lang in ["zh-CN", "en"] {
        let dir = root.join(lang);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
            .collect();
        files.sort();
        let name = lang.replace('-', "_").to_uppercase();
        let _ = writeln!(out, "/// The `{lang}` catalogue files: (file name, text).");
        let _ = writeln!(out, "pub(crate) const {name}: &[(&str, &str)] = &[");
        for f in files {
            println!("cargo:rerun-if-changed={}", f.display());
            let file = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let _ = writeln!(out, "    ({file:?}, include_str!({:?})),", f.display().to_string());
        }
        let _ = writeln!(out, "];");
    }
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("catalogues.rs");
    std::fs::write(dest, out).expect("writing catalogues.rs");
}
