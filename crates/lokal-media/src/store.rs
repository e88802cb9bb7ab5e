//! Where photo bytes live. [`MediaStore`] is the port; [`LocalDir`] keeps them under a directory
//! (`[media] dir`), an S3-compatible bucket would be another implementation. Keys are relative
//! paths that Lokal makes itself (`public/<id>/w800.jpg`, `originals/<id>.jpg`), never from a
//! client's words.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

/// A boxed future, for an object-safe port.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Stores and reads blobs by key.
pub trait MediaStore: Send + Sync {
    /// Writes `bytes` under `key`, replacing what was there; visible to [`MediaStore::get`] once
    /// it returns (written to a temporary name, then renamed).
    fn put<'a>(&'a self, key: &'a str, bytes: Vec<u8>) -> BoxFuture<'a, std::io::Result<()>>;
    /// The bytes under `key`, if any.
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, std::io::Result<Option<Vec<u8>>>>;
}

/// Blobs as files under a directory.
#[derive(Debug, Clone)]
pub struct LocalDir {
    root: PathBuf,
}

impl LocalDir {
    /// A store under `root` (created on the first write).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    fn path(&self, key: &str) -> std::io::Result<PathBuf> {
        let ok = !key.is_empty()
            && key.split('/').all(|part| {
                !part.is_empty()
                    && part != "."
                    && part != ".."
                    && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
            });
        if ok {
            Ok(self.root.join(key))
        } else {
            Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "bad media key"))
        }
    }
}

impl MediaStore for LocalDir {
    fn put<'a>(&'a self, key: &'a str, bytes: Vec<u8>) -> BoxFuture<'a, std::io::Result<()>> {
        Box::pin(async move {
            let path = self.path(key)?;
            tokio::task::spawn_blocking(move || {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                let tmp = path.with_extension(format!("tmp{}", std::process::id()));
                std::fs::write(&tmp, &bytes)?;
                std::fs::rename(&tmp, &path)
            })
            .await
            .map_err(std::io::Error::other)?
        })
    }

    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, std::io::Result<Option<Vec<u8>>>> {
        Box::pin(async move {
            let path = self.path(key)?;
            tokio::task::spawn_blocking(move || match std::fs::read(&path) {
                Ok(b) => Ok(Some(b)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            })
            .await
            .map_err(std::io::Error::other)?
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn blobs_are_written_read_and_keys_cannot_leave_the_directory() {
        let dir = tempfile::tempdir().expect("dir");
        let s = LocalDir::new(dir.path());
        s.put("public/abc/w200.jpg", vec![1, 2, 3]).await.expect("put");
        assert_eq!(s.get("public/abc/w200.jpg").await.expect("get"), Some(vec![1, 2, 3]));
        assert_eq!(s.get("public/abc/w800.jpg").await.expect("get"), None);
        for bad in ["../etc/passwd", "/etc/passwd", "a//b", "a/./b", "", "a\\b", "a b"] {
            assert!(s.get(bad).await.is_err(), "{bad}");
        }
    }
}
