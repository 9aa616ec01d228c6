//! Where each snippet ends up in the book, so tables elsewhere can link to
//! the tab that shows a handler.

use std::cell::OnceCell;
use std::collections::HashMap;

/// A tab panel: the chapter (book-relative `.md` path) and the panel's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub chapter: String,
    pub id: String,
    /// For the GitBook export, which has no ids of ours: GitBook's id of the
    /// heading above the group, if there is one.
    pub heading: Option<String>,
}

#[derive(Debug, Default, Clone)]
pub struct ShownIndex {
    /// Every tab shown, in book order: (source path, anchor or "" for a whole
    /// file, place).
    shown: Vec<(String, String, Place)>,
    /// (source path, anchor) → the first of them; built on the first lookup,
    /// so a book without tables never pays for it.
    first: OnceCell<HashMap<(String, String), usize>>,
}

impl ShownIndex {
    pub fn record(&mut self, path: String, anchor: Option<String>, place: Place) {
        self.first.take();
        self.shown.push((path, anchor.unwrap_or_default(), place));
    }

    fn first_places(&self) -> &HashMap<(String, String), usize> {
        self.first.get_or_init(|| {
            let mut first = HashMap::with_capacity(self.shown.len());
            for (i, (path, anchor, _)) in self.shown.iter().enumerate() {
                first.entry((path.clone(), anchor.clone())).or_insert(i);
            }
            first
        })
    }

    fn get(&self, path: &str, anchor: &str) -> Option<&Place> {
        let i = self
            .first_places()
            .get(&(path.to_string(), anchor.to_string()))?;
        self.shown.get(*i).map(|(_, _, place)| place)
    }

    /// Where the file's `handler` region is shown, else any region of it.
    pub fn place_of_file(&self, path: &str) -> Option<&Place> {
        self.get(path, "handler").or_else(|| {
            // The first anchor by name, then by where it was first shown.
            let first = self.first_places();
            let mut all: Vec<_> = first.iter().filter(|((p, _), _)| p == path).collect();
            all.sort_by(|a, b| a.0.cmp(b.0));
            all.first()
                .and_then(|(_, i)| self.shown.get(**i))
                .map(|(_, _, place)| place)
        })
    }

    pub fn is_shown(&self, path: &str, anchor: &str) -> bool {
        self.get(path, anchor).is_some()
    }
}

/// A link from one chapter to a place, relative as mdBook's pages need it.
/// `html` picks `.html` pages with `#id` fragments; otherwise `.md` pages
/// with the heading above the group as the fragment (GitBook's tabs have
/// no ids to link to).
pub fn link(from_chapter: &str, to: &Place, html: bool) -> String {
    let fragment = if html {
        Some(to.id.as_str())
    } else {
        to.heading.as_deref()
    };
    let target = if html {
        match to.chapter.rsplit_once('/') {
            Some((dir, "README.md")) => format!("{dir}/index.html"),
            None if to.chapter == "README.md" => "index.html".to_string(),
            _ => format!("{}.html", to.chapter.trim_end_matches(".md")),
        }
    } else {
        to.chapter.clone()
    };
    if from_chapter == to.chapter {
        if let Some(f) = fragment {
            return format!("#{f}");
        }
    }
    let target = match fragment {
        Some(f) => format!("{target}#{f}"),
        None => target,
    };
    let depth = from_chapter.matches('/').count();
    format!("{}{target}", "../".repeat(depth))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_relative_to_the_chapter() {
        let mut to = Place {
            chapter: "posts/01.md".into(),
            id: "x".into(),
            heading: None,
        };
        assert_eq!(link("posts/01.md", &to, true), "#x");
        assert_eq!(link("reference/api.md", &to, true), "../posts/01.html#x");
        assert_eq!(link("intro.md", &to, false), "posts/01.md");
        to.heading = Some("step-1".into());
        assert_eq!(link("intro.md", &to, false), "posts/01.md#step-1");
        assert_eq!(link("posts/01.md", &to, false), "#step-1");
        assert_eq!(link("reference/api.md", &to, true), "../posts/01.html#x");
    }
}
