//! Who is asking and which part of the tree they may see.

use grassroots_domain::{DomainError, tree_path};

/// The author of a write, recorded in the audit log: a user name, or `cli:import`,
/// `system:demo` and the like for jobs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor(pub String);

impl Actor {
    pub fn new(name: impl Into<String>) -> Self {
        Actor(name.into())
    }
}

/// The subtree a caller may read and write: every organization whose path starts with
/// `root_path`. `Scope::all()` is the whole tree (the command line, administrators).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    root_path: String,
}

impl Scope {
    pub fn all() -> Self {
        Scope {
            root_path: "/".into(),
        }
    }

    pub fn subtree(root_path: impl Into<String>) -> Self {
        Scope {
            root_path: root_path.into(),
        }
    }

    pub fn root_path(&self) -> &str {
        &self.root_path
    }

    pub fn is_all(&self) -> bool {
        self.root_path == "/"
    }

    pub fn covers(&self, path: &str) -> bool {
        tree_path::is_within(path, &self.root_path)
    }

    /// The `[lo, hi)` text range of paths inside the scope.
    pub fn range(&self) -> (String, String) {
        if self.is_all() {
            ("/".into(), "0".into())
        } else {
            tree_path::subtree_range(&self.root_path)
        }
    }

    /// Refuses a record outside the scope as if it did not exist, so that probing ids
    /// reveals nothing about other parts of the tree.
    pub fn check(
        &self,
        path: &str,
        entity: &'static str,
        key: impl ToString,
    ) -> Result<(), DomainError> {
        if self.covers(path) {
            Ok(())
        } else {
            Err(DomainError::not_found(entity, key))
        }
    }
}
