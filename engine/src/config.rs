//! The services' configuration: tasker-shared's own defaults, our choices
//! (`engine/config/<role>.toml`, short and commented) laid over them, and the
//! values of one stack (orchestration URL) last. The result is the single
//! pre-merged file tasker's loader wants in `TASKER_CONFIG_PATH`, and it is
//! read back with that loader before anything starts.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use tasker_shared::config::tasker::{
    BackoffConfig, CacheConfig, CircuitBreakerConfig, CommonConfig, DatabaseConfig,
    ExecutionConfig, GrpcConfig, OrchestrationClientConfig, OrchestrationConfig,
    OrchestrationWebConfig, PgmqDatabaseConfig, QueuesConfig, SharedMpscChannelsConfig,
    SystemConfig, TaskTemplatesConfig, TaskerConfig, WorkerConfig, WorkerWebConfig,
};
use tasker_shared::config::ConfigLoader;

/// Which process the file is for: each loads only its own part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Orchestration,
    Worker,
}

impl Role {
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "orchestration" => Ok(Self::Orchestration),
            "worker" => Ok(Self::Worker),
            other => bail!("unknown role '{other}': expected 'orchestration' or 'worker'"),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Orchestration => "orchestration",
            Self::Worker => "worker",
        }
    }

    /// Our choices for this role, committed beside the crate.
    pub fn overrides_path(self) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("config")
            .join(format!("{}.toml", self.name()))
    }
}

/// Every setting at tasker-shared's own default, optional sections included,
/// so that our files only need to name what we change.
fn defaults(role: Role) -> TaskerConfig {
    let common = CommonConfig {
        system: SystemConfig::default(),
        database: DatabaseConfig::default(),
        queues: QueuesConfig::default(),
        circuit_breakers: CircuitBreakerConfig::default(),
        mpsc_channels: SharedMpscChannelsConfig::default(),
        execution: ExecutionConfig::default(),
        backoff: BackoffConfig::default(),
        task_templates: TaskTemplatesConfig::default(),
        cache: Some(CacheConfig::default()),
        pgmq_database: Some(PgmqDatabaseConfig::default()),
    };
    match role {
        Role::Orchestration => TaskerConfig {
            common,
            orchestration: Some(OrchestrationConfig {
                web: Some(OrchestrationWebConfig::default()),
                grpc: Some(GrpcConfig::default()),
                ..OrchestrationConfig::default()
            }),
            worker: None,
        },
        Role::Worker => TaskerConfig {
            common,
            orchestration: None,
            worker: Some(WorkerConfig {
                web: Some(WorkerWebConfig::default()),
                grpc: Some(GrpcConfig::default()),
                orchestration_client: Some(OrchestrationClientConfig::default()),
                ..WorkerConfig::default()
            }),
        },
    }
}

/// JSON to TOML, leaving out what TOML cannot say: nulls and unit values
/// (optional settings left unset, marker fields that default on load).
fn to_toml(value: serde_json::Value) -> Option<toml::Value> {
    use serde_json::Value as Json;
    Some(match value {
        Json::Null => return None,
        Json::Bool(b) => toml::Value::Boolean(b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => toml::Value::Integer(i),
            None => toml::Value::Float(n.as_f64()?),
        },
        Json::String(s) => toml::Value::String(s),
        Json::Array(items) => toml::Value::Array(items.into_iter().filter_map(to_toml).collect()),
        Json::Object(map) => toml::Value::Table(
            map.into_iter()
                .filter_map(|(key, value)| to_toml(value).map(|value| (key, value)))
                .collect(),
        ),
    })
}

/// Lays `over` onto `base`, table by table; anything else in `over` wins.
fn merge(base: &mut toml::Value, over: toml::Value) {
    match (base, over) {
        (toml::Value::Table(base), toml::Value::Table(over)) => {
            for (key, value) in over {
                match base.get_mut(&key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, over) => *base = over,
    }
}

/// What one stack sets on top of our files.
#[derive(Debug, Clone, Default)]
pub struct StackSettings {
    /// Where a worker reaches orchestration's REST API.
    pub orchestration_url: Option<String>,
    /// The engine's cap on the wait before a retry (`common.backoff`); the
    /// engine suite lowers it so that retries asking for a minute (post 04's
    /// pending approval) run in seconds, through the engine's own setting.
    pub max_backoff_seconds: Option<u32>,
}

/// The merged configuration text for `role`.
pub fn render(role: Role, overrides: &str, stack: &StackSettings) -> Result<String> {
    let json = serde_json::to_value(defaults(role))
        .context("tasker-shared's default configuration does not serialise")?;
    let mut value = to_toml(json).unwrap_or(toml::Value::Table(toml::Table::new()));
    let ours: toml::Value = toml::from_str(overrides)
        .with_context(|| format!("{} is not valid TOML", role.overrides_path().display()))?;
    merge(&mut value, ours);
    if let (Role::Worker, Some(url)) = (role, &stack.orchestration_url) {
        let section: toml::Value = toml::from_str(&format!(
            "[worker.orchestration_client]\nbase_url = {}\n",
            toml::Value::String(url.clone())
        ))?;
        merge(&mut value, section);
    }
    if let Some(seconds) = stack.max_backoff_seconds {
        let section: toml::Value = toml::from_str(&format!(
            "[common.backoff]\nmax_backoff_seconds = {seconds}\n"
        ))?;
        merge(&mut value, section);
    }
    toml::to_string_pretty(&value).context("the merged configuration does not serialise")
}

/// Writes the merged file for `role` and reads it back with tasker's own
/// loader, so a setting the engine would refuse fails here, naming the file.
pub fn write(role: Role, stack: &StackSettings, out: &Path) -> Result<TaskerConfig> {
    let path = role.overrides_path();
    let overrides =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let text = render(role, &overrides, stack)?;
    let tmp = out.with_extension("toml.tmp");
    std::fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
    let loaded = ConfigLoader::load_from_path(&tmp)
        .map_err(|error| anyhow::anyhow!("{}: tasker refuses it: {error}", path.display()))?;
    std::fs::rename(&tmp, out).with_context(|| format!("writing {}", out.display()))?;
    Ok(loaded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded(role: Role) -> TaskerConfig {
        let dir = std::env::temp_dir().join(format!(
            "tasker-book-config-{}-{:?}",
            std::process::id(),
            role
        ));
        std::fs::create_dir_all(&dir).expect("a temp dir");
        // The loader expands ${DATABASE_URL}; its URL check wants user:password@.
        std::env::set_var(
            "DATABASE_URL",
            "postgresql://tasker:tasker@127.0.0.1:5439/tasker",
        );
        let stack = StackSettings {
            orchestration_url: Some("http://127.0.0.1:18080".to_string()),
            max_backoff_seconds: Some(3),
        };
        let config =
            write(role, &stack, &dir.join("c.toml")).unwrap_or_else(|e| panic!("{role:?}: {e:#}"));
        let _ = std::fs::remove_dir_all(&dir);
        config
    }

    #[test]
    fn orchestration_config_loads_with_our_choices() {
        let config = loaded(Role::Orchestration);
        let orchestration = config.orchestration.expect("an orchestration section");
        let web = orchestration.web.expect("a web section");
        assert!(web.enabled);
        assert_eq!(web.bind_address, "127.0.0.1:8080");
        assert!(!orchestration.grpc.expect("a grpc section").enabled);
        assert_eq!(config.common.queues.backend, "pgmq");
        assert_eq!(config.common.database.pool.max_connections, 32);
        assert_eq!(config.common.backoff.max_backoff_seconds, 3);
        assert!(config.worker.is_none());
    }

    #[test]
    fn worker_config_loads_with_the_stacks_orchestration_url() {
        let config = loaded(Role::Worker);
        let worker = config.worker.expect("a worker section");
        assert_eq!(
            worker
                .orchestration_client
                .expect("a client section")
                .base_url,
            "http://127.0.0.1:18080"
        );
        assert_eq!(
            worker.web.expect("a web section").bind_address,
            "127.0.0.1:8081"
        );
        assert!(!worker.grpc.expect("a grpc section").enabled);
        assert!(config.orchestration.is_none());
    }

    #[test]
    fn a_setting_out_of_taskers_range_is_refused() {
        let bad = render(
            Role::Worker,
            "[common.database.pool]\nmax_connections = 0\n",
            &StackSettings::default(),
        )
        .expect("renders");
        let path =
            std::env::temp_dir().join(format!("tasker-book-bad-{}.toml", std::process::id()));
        std::fs::write(&path, bad).expect("written");
        assert!(
            ConfigLoader::load_from_path(&path).is_err(),
            "max_connections 0 is out of tasker's range"
        );
        let _ = std::fs::remove_file(&path);
    }
}
