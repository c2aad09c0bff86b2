//! Materialized paths: `/1/17/342/` lists an organization's ancestors and itself by id.
//!
//! A subtree is every path that starts with the root's path, so a subtree query is one
//! range scan on an index: `path >= '/1/17/' AND path < '/1/170'` ... see [`subtree_range`].

/// The path of a child with `id` under a parent whose path is `parent` (or a root).
pub fn child_path(parent: Option<&str>, id: i64) -> String {
    format!("{}{id}/", parent.unwrap_or("/"))
}

/// The ids along a path, root first.
pub fn ids(path: &str) -> Vec<i64> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect()
}

pub fn depth(path: &str) -> i64 {
    ids(path).len() as i64
}

/// The path of `path`'s ancestor at `depth` (1 is the root): `/1/17/342/` at depth 2 is
/// `/1/17/`. A path no deeper than `depth` is its own.
pub fn ancestor_at(path: &str, depth: usize) -> &str {
    let mut slashes = 0;
    for (i, c) in path.char_indices() {
        if c == '/' {
            if slashes == depth {
                return &path[..=i];
            }
            slashes += 1;
        }
    }
    path
}

/// Whether `path` lies in the subtree rooted at `root` (itself included).
pub fn is_within(path: &str, root: &str) -> bool {
    path.starts_with(root)
}

/// The half-open text range `[root, upper)` holding exactly the paths in `root`'s subtree.
/// Paths end in `/`, and `0` is the character after `/` in every collation we use ("C" on
/// PostgreSQL, binary on SQLite), so `upper` is `root` with its last `/` replaced by `0`.
pub fn subtree_range(root: &str) -> (String, String) {
    let mut upper = root.trim_end_matches('/').to_owned();
    upper.push('0');
    (root.to_owned(), upper)
}

/// Re-roots `path` from `old_prefix` to `new_prefix` (used when a subtree moves).
pub fn rebase(path: &str, old_prefix: &str, new_prefix: &str) -> Option<String> {
    path.strip_prefix(old_prefix)
        .map(|rest| format!("{new_prefix}{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ancestors_at_a_depth() {
        assert_eq!(ancestor_at("/1/17/342/", 2), "/1/17/");
        assert_eq!(ancestor_at("/1/17/342/", 1), "/1/");
        assert_eq!(ancestor_at("/1/17/", 2), "/1/17/");
        assert_eq!(ancestor_at("/1/", 2), "/1/");
    }
    use proptest::prelude::*;

    #[test]
    fn builds_and_reads_paths() {
        let root = child_path(None, 1);
        assert_eq!(root, "/1/");
        let child = child_path(Some(&root), 17);
        assert_eq!(child, "/1/17/");
        assert_eq!(ids(&child), vec![1, 17]);
        assert_eq!(depth(&child), 2);
        assert!(is_within(&child, &root));
        assert!(!is_within(&root, &child));
        assert_eq!(rebase("/1/17/5/", "/1/17/", "/2/9/").unwrap(), "/2/9/5/");
    }

    proptest! {
        /// The range holds a path exactly when the path lies in the subtree.
        #[test]
        fn range_matches_prefix(root in prop::collection::vec(1i64..2000, 1..5),
                                other in prop::collection::vec(1i64..2000, 1..7)) {
            let root_path = root.iter().fold(String::from("/"), |p, id| format!("{p}{id}/"));
            let other_path = other.iter().fold(String::from("/"), |p, id| format!("{p}{id}/"));
            let (lo, hi) = subtree_range(&root_path);
            let in_range = other_path.as_str() >= lo.as_str() && other_path.as_str() < hi.as_str();
            prop_assert_eq!(in_range, is_within(&other_path, &root_path));
        }
    }
}
