//! Reading the fields of one parsed line, with errors that name the line, the record and
//! the field.

use grassroots_domain::date::Date;
use serde_json::{Map, Value};

use crate::{InterchangeError, InterchangeResult};

/// The fields of one line. `record` names it in errors: `member 123`.
#[derive(Debug)]
pub struct Fields<'a> {
    pub line: usize,
    pub record: String,
    pub map: &'a Map<String, Value>,
}

impl<'a> Fields<'a> {
    /// Names the record by its type and, when it has a readable one, its id.
    pub fn new(line: usize, kind: &str, map: &'a Map<String, Value>) -> Self {
        let record = match map.get("id").and_then(Value::as_i64) {
            Some(id) => format!("{kind} {id}"),
            None => kind.to_owned(),
        };
        Fields { line, record, map }
    }

    pub fn error(&self, field: &str, message: impl Into<String>) -> InterchangeError {
        InterchangeError::field(self.line, &self.record, field, message)
    }

    /// Refuses fields this version does not know, so that a typo is not silently dropped.
    pub fn only(&self, known: &[&str]) -> InterchangeResult<()> {
        match self
            .map
            .keys()
            .find(|k| k.as_str() != "type" && !known.contains(&k.as_str()))
        {
            Some(unknown) => Err(self.error(unknown, "unknown field for this record type")),
            None => Ok(()),
        }
    }

    fn value(&self, name: &str) -> Option<&Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }

    fn required(&self, name: &str) -> InterchangeResult<&Value> {
        self.value(name)
            .ok_or_else(|| self.error(name, "is missing"))
    }

    pub fn id(&self) -> InterchangeResult<i64> {
        let id = self.i64("id")?;
        if id <= 0 {
            return Err(self.error("id", "must be a positive integer"));
        }
        Ok(id)
    }

    pub fn i64(&self, name: &str) -> InterchangeResult<i64> {
        self.required(name)?
            .as_i64()
            .ok_or_else(|| self.error(name, "must be an integer"))
    }

    pub fn f64(&self, name: &str) -> InterchangeResult<f64> {
        self.required(name)?
            .as_f64()
            .ok_or_else(|| self.error(name, "must be a number"))
    }

    pub fn opt_i64(&self, name: &str) -> InterchangeResult<Option<i64>> {
        match self.value(name) {
            None => Ok(None),
            Some(_) => self.i64(name).map(Some),
        }
    }

    pub fn str(&self, name: &str) -> InterchangeResult<String> {
        self.required(name)?
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| self.error(name, "must be a string"))
    }

    pub fn opt_str(&self, name: &str) -> InterchangeResult<Option<String>> {
        match self.value(name) {
            None => Ok(None),
            Some(_) => self.str(name).map(Some),
        }
    }

    pub fn date(&self, name: &str) -> InterchangeResult<Date> {
        let raw = self.str(name)?;
        Date::parse_from_str(&raw, "%Y-%m-%d")
            .map_err(|_| self.error(name, format!("`{raw}` is not a date (YYYY-MM-DD)")))
    }

    pub fn opt_date(&self, name: &str) -> InterchangeResult<Option<Date>> {
        match self.value(name) {
            None => Ok(None),
            Some(_) => self.date(name).map(Some),
        }
    }

    pub fn parsed<T>(&self, name: &str, parse: fn(&str) -> Option<T>) -> InterchangeResult<T> {
        let raw = self.str(name)?;
        parse(&raw).ok_or_else(|| self.error(name, format!("unknown value `{raw}`")))
    }

    pub fn json(&self, name: &str) -> InterchangeResult<Value> {
        self.required(name).cloned()
    }

    pub fn opt_json(&self, name: &str) -> InterchangeResult<Option<Value>> {
        Ok(self.value(name).cloned())
    }
}
