//! Finding files in the book's folders: one walk, one policy. Sorted (the
//! output must not depend on the file system's order), hidden entries
//! skipped, symbolic links never followed (a link could lead out of the
//! book root; the snippet resolver applies the same rule to paths).

use std::path::Path;
use walkdir::WalkDir;

/// What a walk takes: which folders to leave out, how deep to go, which
/// file extensions to keep (none: every file).
pub struct Walk<'a> {
    pub skip_dirs: &'a [&'a str],
    pub max_depth: usize,
    pub extensions: &'a [&'a str],
}

impl Walk<'_> {
    /// Files under `root/dir`, as paths relative to `root` with forward
    /// slashes, sorted. A missing folder has no files.
    pub fn files(&self, root: &Path, dir: &str) -> Vec<String> {
        let walk = WalkDir::new(root.join(dir))
            .max_depth(self.max_depth)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                let name = e.file_name().to_string_lossy();
                e.depth() == 0
                    || !(name.starts_with('.')
                        || e.file_type().is_dir() && self.skip_dirs.contains(&name.as_ref()))
            });
        walk.flatten()
            .filter(|e| e.file_type().is_file())
            .filter(|e| {
                self.extensions.is_empty()
                    || e.path()
                        .extension()
                        .is_some_and(|x| self.extensions.iter().any(|want| x == *want))
            })
            .filter_map(|e| {
                e.path()
                    .strip_prefix(root)
                    .ok()
                    .map(|rel| rel.to_string_lossy().replace('\\', "/"))
            })
            .collect()
    }
}

/// The task templates in one folder (not its sub-folders), sorted.
pub fn templates(root: &Path, dir: &str) -> Vec<String> {
    Walk {
        skip_dirs: &[],
        max_depth: 1,
        extensions: &["yaml", "yml"],
    }
    .files(root, dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_no_hidden_no_links_no_skipped_folders() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        for f in [
            "h/b.rb",
            "h/a.rb",
            "h/.hidden.rb",
            "h/.git/x.rb",
            "h/node_modules/m.rb",
            "h/deep/c.rb",
            "h/d.txt",
        ] {
            let path = root.join(f);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, "x").expect("write");
        }
        let outside = tempfile::tempdir().expect("tempdir");
        std::fs::write(outside.path().join("secret.rb"), "x").expect("write");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(outside.path(), root.join("h/linked")).expect("link");
            std::os::unix::fs::symlink(outside.path().join("secret.rb"), root.join("h/l.rb"))
                .expect("link");
        }
        let walk = Walk {
            skip_dirs: &["node_modules"],
            max_depth: usize::MAX,
            extensions: &["rb"],
        };
        assert_eq!(walk.files(root, "h"), ["h/a.rb", "h/b.rb", "h/deep/c.rb"]);
        assert!(walk.files(root, "missing").is_empty());
        let shallow = Walk {
            max_depth: 1,
            ..walk
        };
        assert_eq!(shallow.files(root, "h"), ["h/a.rb", "h/b.rb"]);
    }
}
