//! Template sets: Go's `*template.Template` with its associated templates.
//!
//! Owns the name → tree map with Go's `AddParseTree` replacement rule, the
//! function map, execution options (missingkey mode, limits), cheap cloning
//! (trees and functions are shared), and the entry points that start an
//! execution. Does not own parsing or evaluation themselves.

use std::rc::Rc;

use rustc_hash::FxHashMap;

use crate::ast::Tree;
use crate::error::Error;
use crate::exec::{Shared, State, V};
use crate::func::FuncMap;
use crate::value::Value;

/// Go's `missingkey` option: what a missing map key yields.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum MissingKey {
    /// `missingkey=default` / `invalid`: an invalid value (`<no value>`);
    /// fields of it are missing too.
    #[default]
    Default,
    /// `missingkey=zero`: the map's zero value (nil for `interface{}`
    /// maps, so `.a.b` with `a` missing is `nil pointer evaluating`). Helm.
    Zero,
    /// `missingkey=error`: `map has no entry for key "x"`. `helm lint --strict`.
    Error,
}

/// Execution options.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// The missingkey mode.
    pub missing_key: MissingKey,
    /// Maximum nesting of template executions (`template`, `include`,
    /// `tpl`): Go's `maxExecDepth`, 100000 (`exceeded maximum template
    /// depth (100000)`). Execution grows its stack on the heap as needed;
    /// reaching the default costs about 90 MB in a release build.
    pub max_depth: usize,
    /// Maximum evaluation steps of one top-level execution, so no template
    /// runs forever (`range 1000000000`).
    pub max_steps: u64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            missing_key: MissingKey::Default,
            max_depth: 100_000,
            max_steps: 50_000_000,
        }
    }
}

/// Template trees by name. Names are short and trusted (they come from the
/// chart), so a fast non-keyed hash is fine.
type TreeMap = FxHashMap<Rc<str>, Rc<Tree>>;

/// A set of named templates sharing functions and options. Cloning is
/// cheap: trees and the function map are reference-counted.
///
/// The trees are held in two layers: the shared `base` and a private
/// `overlay`. `tpl` parses its text into a clone of the running set for
/// every call (Go's `t.Clone()`); copying a chart's few hundred `define`s
/// each time was a large part of rendering bitnami charts, so a clone
/// shares the base and puts what it parses in its overlay.
#[derive(Clone)]
pub struct Templates {
    name: Rc<str>,
    base: Rc<TreeMap>,
    overlay: TreeMap,
    funcs: Rc<FuncMap>,
    options: Options,
}

impl Templates {
    /// An empty set named `name` (Helm's is `gotpl`; the name appears in
    /// `no template "x" associated with template "gotpl"`).
    pub fn new(name: &str, funcs: FuncMap) -> Templates {
        Templates {
            name: name.into(),
            base: Rc::default(),
            overlay: TreeMap::default(),
            funcs: Rc::new(funcs),
            options: Options::default(),
        }
    }

    /// The set's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The options.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Replaces the options.
    pub fn set_options(&mut self, options: Options) {
        self.options = options;
    }

    /// The function map.
    pub fn funcs(&self) -> &FuncMap {
        &self.funcs
    }

    /// Replaces the function map (e.g. to bind `include`/`tpl` at render
    /// time). Already parsed trees are kept.
    pub fn set_funcs(&mut self, funcs: FuncMap) {
        self.funcs = Rc::new(funcs);
    }

    /// Whether `name` is a function a template may call.
    pub fn has_function(&self, name: &str) -> bool {
        self.funcs.contains(name) || crate::builtins::signature(name).is_some()
    }

    /// Parses `text` as template `name` (Go's `t.New(name).Parse(text)`):
    /// the text's own tree is stored as `name` and each `define`/`block`
    /// under its name. A later definition replaces an earlier one, except
    /// that an empty body never replaces a non-empty one (`AddParseTree`).
    pub fn parse(&mut self, name: &str, text: &str) -> Result<(), Error> {
        let funcs = self.funcs.clone();
        let has = |f: &str| funcs.contains(f) || crate::builtins::signature(f).is_some();
        let trees = crate::parse::parse(name, text, &has)?;
        for tree in trees {
            if let Some(old) = self.tree(&tree.name)
                && tree.is_empty()
                && !old.is_empty()
            {
                continue;
            }
            self.insert_tree(tree);
        }
        Ok(())
    }

    /// Stores a parsed tree: in the base while this set owns it alone (the
    /// set being built), otherwise in this clone's overlay.
    fn insert_tree(&mut self, tree: Tree) {
        match Rc::get_mut(&mut self.base) {
            Some(base) if self.overlay.is_empty() => {
                base.insert(tree.name.clone(), Rc::new(tree));
            }
            _ => {
                self.overlay.insert(tree.name.clone(), Rc::new(tree));
            }
        }
    }

    /// Whether a template of this name exists.
    pub fn contains(&self, name: &str) -> bool {
        self.overlay.contains_key(name) || self.base.contains_key(name)
    }

    /// Names of all templates (unordered).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.overlay.keys().map(|k| &**k).chain(
            self.base
                .keys()
                .filter(|k| !self.overlay.contains_key(&***k))
                .map(|k| &**k),
        )
    }

    pub(crate) fn tree(&self, name: &str) -> Option<&Tree> {
        self.overlay
            .get(name)
            .or_else(|| self.base.get(name))
            .map(|t| &**t)
    }

    /// Go's `ExecuteTemplate`: runs template `name` with `data` as `.` and
    /// `$`, returning its output as text (bytes that are not UTF-8, which
    /// only strings cut or decoded from bytes produce, as U+FFFD).
    pub fn execute(&self, name: &str, data: &Value) -> Result<String, Error> {
        self.execute_bytes(name, data)
            .map(|out| crate::value::go_lossy(&out))
    }

    /// Go's `ExecuteTemplate` with the output as Go writes it: bytes,
    /// which a template may leave invalid UTF-8 (`substr` through a rune).
    pub fn execute_bytes(&self, name: &str, data: &Value) -> Result<Vec<u8>, Error> {
        let shared = Shared::default();
        self.run(name, data, &shared, 0)
    }

    pub(crate) fn run(
        &self,
        name: &str,
        data: &Value,
        shared: &Shared,
        depth: usize,
    ) -> Result<Vec<u8>, Error> {
        let Some(tree) = self.tree(name) else {
            return Err(Error::NoTemplate {
                name: name.to_string(),
                set: self.name.to_string(),
            });
        };
        let mut st = State::new(self, tree, shared, depth, V::plain(data.clone()));
        if depth > self.options.max_depth {
            return Err(st.errorf(format!(
                "exceeded maximum template depth ({})",
                self.options.max_depth
            )));
        }
        let dot = V::plain(data.clone());
        stacker::maybe_grow(128 * 1024, 2 * 1024 * 1024, || {
            st.walk_list(&dot, &tree.root)
        })?;
        Ok(st.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(set: &Templates, name: &str) -> String {
        set.execute(name, &Value::Nil).unwrap()
    }

    /// A clone (what `tpl` parses into) sees the set's templates, may
    /// redefine them, and leaves the original untouched; a clone of a clone
    /// sees both layers; `AddParseTree`'s empty-body rule spans the layers.
    #[test]
    fn clones_layer_their_definitions() {
        let mut set = Templates::new("gotpl", FuncMap::new());
        set.parse("a", "{{ define \"d\" }}base{{ end }}[{{ template \"d\" }}]")
            .unwrap();
        let mut child = set.clone();
        child
            .parse("b", "{{ define \"d\" }}child{{ end }}{{ template \"d\" }}")
            .unwrap();
        assert_eq!(run(&child, "b"), "child");
        assert_eq!(run(&child, "a"), "[child]");
        assert_eq!(run(&set, "a"), "[base]");
        assert!(!set.contains("b"));

        let mut grandchild = child.clone();
        grandchild
            .parse("c", "{{ define \"d\" }}{{ end }}")
            .unwrap();
        assert_eq!(run(&grandchild, "a"), "[child]");
        let mut names: Vec<&str> = grandchild.names().collect();
        names.sort_unstable();
        assert_eq!(names, ["a", "b", "c", "d"]);

        // With the clones gone the set owns its trees again.
        drop((child, grandchild));
        set.parse("e", "{{ define \"d\" }}again{{ end }}").unwrap();
        assert_eq!(run(&set, "a"), "[again]");
    }
}
