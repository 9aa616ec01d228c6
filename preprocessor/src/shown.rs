//! Where each snippet ends up in the book, so tables elsewhere can link to
//! the tab that shows a handler.

use std::collections::HashMap;

/// A tab panel: the chapter (book-relative `.md` path) and the panel's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub chapter: String,
    pub id: String,
}

#[derive(Debug, Default, Clone)]
pub struct ShownIndex {
    /// (source path, anchor or "" for a whole file) → first place shown.
    places: HashMap<(String, String), Place>,
}

impl ShownIndex {
    pub fn record(&mut self, path: &str, anchor: Option<&str>, place: Place) {
        self.places
            .entry((path.to_string(), anchor.unwrap_or("").to_string()))
            .or_insert(place);
    }

    /// Where the file's `handler` region is shown, else any region of it.
    pub fn place_of_file(&self, path: &str) -> Option<&Place> {
        self.places
            .get(&(path.to_string(), "handler".to_string()))
            .or_else(|| {
                let mut all: Vec<_> = self.places.iter().filter(|((p, _), _)| p == path).collect();
                all.sort_by(|a, b| a.0.cmp(b.0));
                all.first().map(|(_, place)| *place)
            })
    }

    pub fn is_shown(&self, path: &str, anchor: &str) -> bool {
        self.places
            .contains_key(&(path.to_string(), anchor.to_string()))
    }
}

/// A link from one chapter to a place, relative as mdBook's pages need it.
/// `html` picks `.html` pages with `#id` fragments; otherwise `.md` pages.
pub fn link(from_chapter: &str, to: &Place, html: bool) -> String {
    let target = if html {
        let page = match to.chapter.rsplit_once('/') {
            Some((dir, "README.md")) => format!("{dir}/index.html"),
            None if to.chapter == "README.md" => "index.html".to_string(),
            _ => format!("{}.html", to.chapter.trim_end_matches(".md")),
        };
        format!("{page}#{}", to.id)
    } else {
        to.chapter.clone()
    };
    if html && from_chapter == to.chapter {
        return format!("#{}", to.id);
    }
    let depth = from_chapter.matches('/').count();
    format!("{}{target}", "../".repeat(depth))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_relative_to_the_chapter() {
        let to = Place {
            chapter: "posts/01.md".into(),
            id: "x".into(),
        };
        assert_eq!(link("posts/01.md", &to, true), "#x");
        assert_eq!(link("reference/api.md", &to, true), "../posts/01.html#x");
        assert_eq!(link("intro.md", &to, false), "posts/01.md");
    }
}
