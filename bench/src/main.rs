//! `codetabs-bench`: measures what `{{#codetabs}}` costs next to plain mdBook.
//!
//! It writes a synthetic book into a temp dir (by default 2,000 handler files,
//! 500 per language, 10 anchored regions of 30 lines each: 20,000 snippets in
//! 5,000 four-language groups over 100 chapters, search off) and builds it
//! four ways, interleaved, on the same machine in the same run:
//!
//! - (a) `inline`: mdBook CLI, the same code pasted as four fenced blocks per group (the floor)
//! - (b) `include`: mdBook CLI, four fenced `{{#include file:anchor}}` blocks per group
//! - (c) `protocol`: mdBook CLI running our release binary as an external preprocessor
//! - (d) `in-process`: `mdbook-codetabs build`
//!
//! Wall time, CPU time (user+sys) and peak RSS come from `wait4(2)` on each
//! child: CPU includes the child's waited-for descendants (for (c), the
//! preprocessor process), peak RSS is the largest single process among them.
//! Then (d) at several sizes (scaling) and `mdbook serve` latency on a copy of
//! the real book. Results are printed as markdown tables.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const USAGE: &str = "\
usage: codetabs-bench --mdbook PATH --codetabs PATH [options]
  --runs N            measured runs per variant (median reported; default 3), after one warm-up
  --scale X           size of the four-variant book (default 1 = 2,000 files)
  --scales A,B,C      sizes for the scaling table (default 0.25,1,4,8; empty to skip)
  --serve-edits N     handler edits timed under `mdbook serve` (default 5; 0 to skip)
  --repo PATH         the book to copy for the serve test (default .)
  --serve PATH        codetabs-serve binary to time beside `mdbook serve` (optional)
  --only LIST         variants to run, e.g. a,d (default a,b,c,d,x,z; empty to skip)
  --keep              keep the temp dir";

#[derive(Clone, Copy, Debug)]
struct Sample {
    wall: f64,
    cpu: f64,
    maxrss_kb: f64,
}

struct Opts {
    mdbook: PathBuf,
    codetabs: PathBuf,
    serve: Option<PathBuf>,
    runs: usize,
    scale: f64,
    scales: Vec<f64>,
    serve_edits: usize,
    repo: PathBuf,
    only: Vec<char>,
    keep: bool,
}

fn main() {
    if let Err(e) = real_main() {
        eprintln!("codetabs-bench: {e}");
        std::process::exit(1);
    }
}

fn real_main() -> Result<(), String> {
    let opts = parse_args()?;
    let tmp = std::env::temp_dir().join(format!("codetabs-bench-{}", std::process::id()));
    fs::create_dir_all(&tmp).map_err(|e| format!("temp dir: {e}"))?;
    let mut report = String::new();
    let _ = writeln!(
        report,
        "<!-- codetabs-bench: {} CPUs, runs={}, temp={} -->",
        cpus(),
        opts.runs,
        tmp.display()
    );
    let result = run_all(&opts, &tmp, &mut report);
    if opts.keep {
        eprintln!("kept {}", tmp.display());
    } else {
        let _ = fs::remove_dir_all(&tmp);
    }
    result?;
    print!("{report}");
    Ok(())
}

fn run_all(opts: &Opts, tmp: &Path, report: &mut String) -> Result<(), String> {
    let mut books: BTreeMap<String, Generated> = BTreeMap::new();
    if !opts.only.is_empty() {
        let g = generate(
            &tmp.join(scale_name(opts.scale)),
            opts.scale,
            &opts.codetabs,
        )?;
        variants(opts, &g, report)?;
        books.insert(scale_name(opts.scale), g);
    }
    if !opts.scales.is_empty() {
        scaling(opts, tmp, &mut books, report)?;
    }
    if opts.serve_edits > 0 {
        // Our server (what scripts/serve runs), then mdBook's with its
        // default poll watcher. Not its native watcher: it reports file reads
        // as changes, so a preprocessor that reads the watched handler files
        // makes it rebuild forever (see BENCHMARKS.md).
        if let Some(bin) = &opts.serve {
            serve_latency(opts, tmp, Server::Ours(bin), report)?;
        }
        serve_latency(opts, tmp, Server::MdBookPoll, report)?;
    }
    Ok(())
}

fn parse_args() -> Result<Opts, String> {
    let mut o = Opts {
        mdbook: PathBuf::new(),
        codetabs: PathBuf::new(),
        serve: None,
        runs: 3,
        scale: 1.0,
        scales: vec![0.25, 1.0, 4.0, 8.0],
        serve_edits: 5,
        repo: PathBuf::from("."),
        only: vec!['a', 'b', 'c', 'd', 'x', 'z'],
        keep: false,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut it = args.iter();
    let need = |v: Option<&String>, flag: &str| -> Result<String, String> {
        v.cloned()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
    };
    let num = |s: String, flag: &str| -> Result<f64, String> {
        s.parse::<f64>()
            .map_err(|_| format!("{flag}: `{s}` is not a number"))
    };
    while let Some(a) = it.next() {
        match a.as_str() {
            "--mdbook" => o.mdbook = PathBuf::from(need(it.next(), a)?),
            "--codetabs" => o.codetabs = PathBuf::from(need(it.next(), a)?),
            "--serve" => o.serve = Some(PathBuf::from(need(it.next(), a)?)),
            "--runs" => o.runs = num(need(it.next(), a)?, a)? as usize,
            "--scale" => o.scale = num(need(it.next(), a)?, a)?,
            "--scales" => {
                o.scales = need(it.next(), a)?
                    .split(',')
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| num(s.trim().to_string(), "--scales"))
                    .collect::<Result<_, _>>()?
            }
            "--serve-edits" => o.serve_edits = num(need(it.next(), a)?, a)? as usize,
            "--repo" => o.repo = PathBuf::from(need(it.next(), a)?),
            "--only" => {
                o.only = need(it.next(), a)?
                    .chars()
                    .filter(|c| c.is_ascii_alphabetic())
                    .collect();
                if let Some(bad) = o.only.iter().find(|c| !"abcdxz".contains(**c)) {
                    return Err(format!("--only: no variant `{bad}` (a, b, c, d, x, z)"));
                }
            }
            "--keep" => o.keep = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    for (p, what) in [(&mut o.mdbook, "--mdbook"), (&mut o.codetabs, "--codetabs")] {
        *p = fs::canonicalize(&*p).map_err(|e| format!("{what} {}: {e}", p.display()))?;
    }
    o.repo = fs::canonicalize(&o.repo).map_err(|e| format!("--repo: {e}"))?;
    if let Some(serve) = &mut o.serve {
        *serve =
            fs::canonicalize(&*serve).map_err(|e| format!("--serve {}: {e}", serve.display()))?;
    }
    o.runs = o.runs.max(1);
    Ok(o)
}

fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn scale_name(scale: f64) -> String {
    format!("scale-{scale}x")
}

// ---------------------------------------------------------------- generator

struct Lang {
    key: &'static str,
    ext: &'static str,
    comment: &'static str,
    info: &'static str,
}

/// The info strings match what our preprocessor writes, so every variant
/// asks mdBook for the same fences.
const LANGS: [Lang; 4] = [
    Lang {
        key: "ruby",
        ext: "rb",
        comment: "#",
        info: "ruby",
    },
    Lang {
        key: "python",
        ext: "py",
        comment: "#",
        info: "python",
    },
    Lang {
        key: "typescript",
        ext: "ts",
        comment: "//",
        info: "typescript",
    },
    Lang {
        key: "rust",
        ext: "rs",
        comment: "//",
        info: "rust,noplayground",
    },
];
const REGIONS: usize = 10;
const REGION_LINES: usize = 30;
const GROUPS_PER_CHAPTER: usize = 50;

struct Generated {
    scale: f64,
    files: usize,
    groups: usize,
    chapters: usize,
    source_bytes: u64,
    /// Book roots: inline (a), include (b), codetabs (c and d), replay (z),
    /// expanded (x, written only when it runs).
    inline: PathBuf,
    include: PathBuf,
    codetabs: PathBuf,
    replay: PathBuf,
    expanded: PathBuf,
}

fn code_line(lang: &Lang, file: usize, region: usize, k: usize) -> String {
    // ~40 bytes, unique per file/region/line, and a token the checks can find.
    let token = format!("h{file:04}r{region:02}l{k:02}");
    match lang.key {
        "ruby" => format!("v{k:02} = step(\"{token}\", {k}) + {region}"),
        "python" => format!("v{k:02} = step(\"{token}\", {k}) + {region}"),
        "typescript" => format!("const v{k:02} = step(\"{token}\", {k});"),
        _ => format!("let v{k:02} = step(\"{token}\", {k});"),
    }
}

fn handler_file(lang: &Lang, i: usize) -> String {
    let c = lang.comment;
    let mut s = String::new();
    let _ = writeln!(s, "{c} Synthetic handler {i} for the codetabs benchmark.\n");
    let (open, close) = match lang.key {
        "ruby" => (format!("class Handler{i:04}"), "end"),
        "python" => (format!("class Handler{i:04}:"), ""),
        "typescript" => (format!("export class Handler{i:04} {{"), "}"),
        _ => (format!("impl Handler{i:04} {{"), "}"),
    };
    let _ = writeln!(s, "{open}");
    for r in 0..REGIONS {
        let _ = writeln!(s, "    {c} ANCHOR: region_{r:02}");
        for k in 0..REGION_LINES {
            let _ = writeln!(s, "    {}", code_line(lang, i, r, k));
        }
        let _ = writeln!(s, "    {c} ANCHOR_END: region_{r:02}\n");
    }
    let _ = writeln!(s, "{close}");
    s
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn generate(dir: &Path, scale: f64, codetabs_bin: &Path) -> Result<Generated, String> {
    let files = ((500.0 * scale).round() as usize).max(1);
    let groups = files * REGIONS;
    let chapters = groups.div_ceil(GROUPS_PER_CHAPTER);
    eprintln!(
        "generating {}: {} handler files, {} groups, {} chapters",
        dir.display(),
        files * LANGS.len(),
        groups,
        chapters
    );
    let g = Generated {
        scale,
        files: files * LANGS.len(),
        groups,
        chapters,
        source_bytes: 0,
        inline: dir.join("inline"),
        include: dir.join("include"),
        codetabs: dir.join("codetabs"),
        replay: dir.join("replay"),
        expanded: dir.join("expanded"),
    };
    let mut source_bytes = 0u64;
    for lang in &LANGS {
        for i in 0..files {
            let text = handler_file(lang, i);
            source_bytes += text.len() as u64;
            write(
                &g.codetabs
                    .join(format!("handlers/{}/h{i:04}.{}", lang.key, lang.ext)),
                &text,
            )?;
        }
    }
    let base = "[book]\ntitle = \"codetabs benchmark\"\nsrc = \"src\"\n\n\
                [output.html.search]\nenable = false\n";
    write(&g.inline.join("book.toml"), base)?;
    write(&g.include.join("book.toml"), base)?;
    write(
        &g.codetabs.join("book.toml"),
        &format!(
            "{base}\n[preprocessor.codetabs]\ncommand = \"{}\"\nbefore = [\"links\"]\n\
             languages = [\"ruby\", \"python\", \"typescript\", \"rust\"]\n",
            codetabs_bin.display()
        ),
    )?;
    // (z): the chapters of (c), and a "preprocessor" that does no work at all:
    // it swallows mdBook's input and replays a book whose chapters are (a)'s.
    let replay_json = g.replay.join("replay.json");
    let replay_sh = g.replay.join("replay.sh");
    write_script(
        &replay_sh,
        &format!(
            "if [ \"$#\" -gt 0 ]; then exit 0; fi\ncat >/dev/null\nexec cat '{}'\n",
            replay_json.display()
        ),
    )?;
    write(
        &g.replay.join("book.toml"),
        &format!(
            "{base}\n[preprocessor.replay]\ncommand = \"{}\"\nbefore = [\"links\"]\n",
            replay_sh.display()
        ),
    )?;
    let mut replayed = String::from("{\"items\":[");
    let mut summary = String::from("# Summary\n\n");
    for ch in 0..chapters {
        let _ = writeln!(summary, "- [Chapter {}](ch{ch:03}.md)", ch + 1);
        let (mut a, mut b, mut c) = (String::new(), String::new(), String::new());
        for t in [&mut a, &mut b, &mut c] {
            let _ = writeln!(t, "# Chapter {}\n", ch + 1);
        }
        let first = ch * GROUPS_PER_CHAPTER;
        for gidx in first..(first + GROUPS_PER_CHAPTER).min(groups) {
            let (i, r) = (gidx / REGIONS, gidx % REGIONS);
            for t in [&mut a, &mut b, &mut c] {
                let _ = writeln!(
                    t,
                    "## Handler {i} region {r}\n\nThe same step in four languages.\n"
                );
            }
            for lang in &LANGS {
                // (a): the code as shown (dedented region), pasted.
                let _ = writeln!(a, "```{}", lang.info);
                for k in 0..REGION_LINES {
                    let _ = writeln!(a, "{}", code_line(lang, i, r, k));
                }
                let _ = writeln!(a, "```\n");
                // (b): mdBook's include of the same region.
                let _ = writeln!(
                    b,
                    "```{}\n{{{{#include ../../codetabs/handlers/{}/h{i:04}.{}:region_{r:02}}}}}\n```\n",
                    lang.info, lang.key, lang.ext
                );
            }
            // (c)/(d): one directive per group.
            let _ = writeln!(c, "{{{{#codetabs h{i:04}:region_{r:02}}}}}\n");
        }
        if ch > 0 {
            replayed.push(',');
        }
        let _ = write!(
            replayed,
            "{{\"Chapter\":{{\"name\":\"Chapter {n}\",\"content\":{},\"number\":[{n}],\
             \"sub_items\":[],\"path\":\"ch{ch:03}.md\",\"source_path\":\"ch{ch:03}.md\",\
             \"parent_names\":[]}}}}",
            json_string(&a),
            n = ch + 1
        );
        write(&g.inline.join(format!("src/ch{ch:03}.md")), &a)?;
        write(&g.include.join(format!("src/ch{ch:03}.md")), &b)?;
        write(&g.codetabs.join(format!("src/ch{ch:03}.md")), &c)?;
        write(&g.replay.join(format!("src/ch{ch:03}.md")), &c)?;
    }
    replayed.push_str("]}");
    write(&replay_json, &replayed)?;
    for root in [&g.inline, &g.include, &g.codetabs, &g.replay] {
        write(&root.join("src/SUMMARY.md"), &summary)?;
    }
    Ok(Generated { source_bytes, ..g })
}

/// A JSON string literal.
fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8 + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A `/bin/sh` script standing in for a preprocessor command.
fn write_script(path: &Path, body: &str) -> Result<(), String> {
    write(path, &format!("#!/bin/sh\n{body}"))?;
    make_executable(path)
}

fn make_executable(path: &Path) -> Result<(), String> {
    let mut perm = fs::metadata(path)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o755);
    fs::set_permissions(path, perm).map_err(|e| format!("{}: {e}", path.display()))
}

// ---------------------------------------------------------------- measuring

/// Runs `cmd` to completion; wall from spawn to reap, CPU and max RSS from wait4.
fn measure(cmd: &mut Command, log: &Path) -> Result<Sample, String> {
    let out = fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let err = out.try_clone().map_err(|e| e.to_string())?;
    cmd.stdin(Stdio::null()).stdout(out).stderr(err);
    let start = Instant::now();
    let child = cmd.spawn().map_err(|e| format!("spawn {cmd:?}: {e}"))?;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain data; wait4 fills it for our own child.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
    let wall = start.elapsed().as_secs_f64();
    // The child is reaped; std's handle must not wait on it again.
    drop(child);
    if rc != pid {
        return Err(format!("wait4 failed for {cmd:?}"));
    }
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        let tail = fs::read_to_string(log).unwrap_or_default();
        let tail: String = tail
            .lines()
            .rev()
            .take(20)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
            .join("\n");
        return Err(format!("{cmd:?} failed ({status}):\n{tail}"));
    }
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Ok(Sample {
        wall,
        cpu: tv(ru.ru_utime) + tv(ru.ru_stime),
        maxrss_kb: ru.ru_maxrss as f64,
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

struct Stats {
    wall: f64,
    cpu: f64,
    maxrss_mb: f64,
    walls: Vec<f64>,
}

fn stats(samples: &[Sample]) -> Stats {
    Stats {
        wall: median(samples.iter().map(|s| s.wall).collect()),
        cpu: median(samples.iter().map(|s| s.cpu).collect()),
        maxrss_mb: median(samples.iter().map(|s| s.maxrss_kb / 1024.0).collect()),
        walls: samples.iter().map(|s| s.wall).collect(),
    }
}

fn variant_cmd(opts: &Opts, g: &Generated, v: char) -> (Command, PathBuf) {
    match v {
        'a' | 'b' | 'c' | 'z' => {
            let root = match v {
                'a' => &g.inline,
                'b' => &g.include,
                'z' => &g.replay,
                _ => &g.codetabs,
            };
            let mut c = Command::new(&opts.mdbook);
            c.arg("build").current_dir(root);
            (c, root.clone())
        }
        _ => {
            let root = if v == 'x' { &g.expanded } else { &g.codetabs };
            let mut c = Command::new(&opts.codetabs);
            c.arg("build").arg(root).current_dir(root);
            (c, root.clone())
        }
    }
}

fn variant_name(v: char) -> &'static str {
    match v {
        'a' => "(a) inline code, mdBook CLI",
        'b' => "(b) `{{#include file:anchor}}`, mdBook CLI",
        'c' => "(c) `{{#codetabs}}`, mdBook CLI + external preprocessor",
        'z' => "(z) mdBook CLI + a preprocessor that does no work (replays (a)'s chapters)",
        'x' => "(x) (d)'s chapters already expanded, `mdbook-codetabs build` (no first pass)",
        _ => "(d) `{{#codetabs}}`, `mdbook-codetabs build` (in-process)",
    }
}

/// The built page holds the code (and, for ours, the tab markup).
fn verify(root: &Path, v: char) -> Result<(), String> {
    let page = root.join("book/ch000.html");
    let html = fs::read_to_string(&page).map_err(|e| format!("{}: {e}", page.display()))?;
    let want_code = "h0000r00l29";
    if html.matches(want_code).count() < 4 {
        return Err(format!(
            "{} lacks the code of {want_code} in four languages",
            page.display()
        ));
    }
    if matches!(v, 'c' | 'd' | 'x') && !html.contains(" codetabs-group-codetabs-") {
        return Err(format!("{} has no codetabs markup", page.display()));
    }
    if matches!(v, 'b') && html.contains("{{#include") {
        return Err(format!(
            "{} still holds an include directive",
            page.display()
        ));
    }
    Ok(())
}

fn variants(opts: &Opts, g: &Generated, report: &mut String) -> Result<(), String> {
    if opts.only.contains(&'x') {
        write_expanded(opts, g)?;
    }
    let mut samples: BTreeMap<char, Vec<Sample>> = BTreeMap::new();
    // Round 0 is the warm-up (page cache, first-run effects); it is not counted.
    for round in 0..=opts.runs {
        for &v in &opts.only {
            let (mut cmd, root) = variant_cmd(opts, g, v);
            let log = root.join(format!("bench-{v}.log"));
            let s = measure(&mut cmd, &log)?;
            if round == 0 {
                verify(&root, v)?;
            } else {
                samples.entry(v).or_default().push(s);
            }
            eprintln!(
                "  {v} round {round}: wall {:.2}s cpu {:.2}s rss {:.0} MB",
                s.wall,
                s.cpu,
                s.maxrss_kb / 1024.0
            );
        }
    }
    let st: BTreeMap<char, Stats> = samples.iter().map(|(k, v)| (*k, stats(v))).collect();
    let _ = writeln!(
        report,
        "\n### Four variants, scale {}× ({} handler files, {:.1} MB of source, {} groups = {} snippets, {} chapters; median of {} runs after 1 warm-up)\n",
        g.scale,
        g.files,
        g.source_bytes as f64 / 1e6,
        g.groups,
        g.groups * 4,
        g.chapters,
        opts.runs
    );
    let _ = writeln!(
        report,
        "| variant | wall (s) | CPU user+sys (s) | peak RSS (MB) | all walls (s) |"
    );
    let _ = writeln!(report, "|---|---:|---:|---:|---|");
    for (v, s) in &st {
        let walls: Vec<String> = s.walls.iter().map(|w| format!("{w:.2}")).collect();
        let _ = writeln!(
            report,
            "| {} | {:.2} | {:.2} | {:.0} | {} |",
            variant_name(*v),
            s.wall,
            s.cpu,
            s.maxrss_mb,
            walls.join(", ")
        );
    }
    let ratio = |x: char, y: char, goal: Option<f64>| -> Option<String> {
        let (a, b) = (st.get(&x)?, st.get(&y)?);
        let (w, c, m) = (a.wall / b.wall, a.cpu / b.cpu, a.maxrss_mb / b.maxrss_mb);
        let goal = goal.map_or(String::from("—"), |g| {
            let ok = w <= g;
            format!("≤ {g} × wall: {}", if ok { "met" } else { "MISSED" })
        });
        Some(format!("| {x}/{y} | {w:.2} | {c:.2} | {m:.2} | {goal} |"))
    };
    let _ = writeln!(report, "\n| ratio | wall | CPU | peak RSS | goal |");
    let _ = writeln!(report, "|---|---:|---:|---:|---|");
    for line in [
        ratio('c', 'a', None),
        ratio('d', 'a', Some(1.10)),
        ratio('c', 'b', Some(0.6)),
        ratio('d', 'b', None),
        ratio('z', 'a', None),
        ratio('z', 'b', Some(0.6)),
        ratio('x', 'a', None),
        ratio('d', 'x', None),
    ]
    .into_iter()
    .flatten()
    {
        let _ = writeln!(report, "{line}");
    }
    if let (Some(a), Some(c), Some(d)) = (st.get(&'a'), st.get(&'c'), st.get(&'d')) {
        let _ = writeln!(
            report,
            "\nMemory goal (≤ 1.2 × (a) = {:.0} MB): (c) {:.0} MB {}, (d) {:.0} MB {}",
            1.2 * a.maxrss_mb,
            c.maxrss_mb,
            if c.maxrss_mb <= 1.2 * a.maxrss_mb {
                "met"
            } else {
                "MISSED"
            },
            d.maxrss_mb,
            if d.maxrss_mb <= 1.2 * a.maxrss_mb {
                "met"
            } else {
                "MISSED"
            },
        );
    }
    Ok(())
}

// ---------------------------------------------------------------- (x)

/// Writes (x): the chapters exactly as our preprocessor expands (d)'s, as the
/// files of a book with no preprocessor, so what mdBook's renderer costs on
/// our markup is measured apart from what the expanding costs.
fn write_expanded(opts: &Opts, g: &Generated) -> Result<(), String> {
    let input = capture_protocol_input(opts, g)?;
    let stdin = fs::File::open(&input).map_err(|e| format!("{}: {e}", input.display()))?;
    let out = Command::new(&opts.codetabs)
        .current_dir(&g.codetabs)
        .stdin(stdin)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("{}: {e}", opts.codetabs.display()))?;
    if !out.status.success() {
        return Err(format!(
            "{} (as a preprocessor) failed: {}",
            opts.codetabs.display(),
            out.status
        ));
    }
    let book = String::from_utf8(out.stdout).map_err(|e| format!("its answer: {e}"))?;
    let chapters = chapters_in(&book)?;
    if chapters.len() != g.chapters {
        return Err(format!(
            "its answer holds {} chapters, the book {}",
            chapters.len(),
            g.chapters
        ));
    }
    let base = fs::read_to_string(g.inline.join("book.toml")).map_err(|e| e.to_string())?;
    write(&g.expanded.join("book.toml"), &base)?;
    let summary = fs::read_to_string(g.inline.join("src/SUMMARY.md")).map_err(|e| e.to_string())?;
    write(&g.expanded.join("src/SUMMARY.md"), &summary)?;
    for (path, content) in chapters {
        write(&g.expanded.join("src").join(path), &content)?;
    }
    Ok(())
}

/// (path, content) of every chapter of a book as a preprocessor answers it
/// (`{"items":[{"Chapter":{"name":…,"content":"…",…,"path":"…",…}},…]}`), in
/// order. The bench's books are flat, and a key cannot occur inside a JSON
/// string (its quotes would be escaped), so each `"content"` is followed by
/// its own chapter's `"path"`.
fn chapters_in(json: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut rest = json;
    while let Some(at) = rest.find("\"content\":\"") {
        let (content, after) = json_str(&rest[at + "\"content\":\"".len()..])?;
        let p = after
            .find("\"path\":\"")
            .ok_or("a chapter without a path in the preprocessor's answer")?;
        let (path, after) = json_str(&after[p + "\"path\":\"".len()..])?;
        out.push((path, content));
        rest = after;
    }
    Ok(out)
}

/// The JSON string starting right after its opening quote, unescaped, and
/// the text after its closing quote.
fn json_str(s: &str) -> Result<(String, &str), String> {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((out, &s[i + 1..])),
            '\\' => {
                let (_, e) = chars.next().ok_or("a string ends in a backslash")?;
                match e {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'u' => {
                        let first = hex4(&mut chars)?;
                        let code = if (0xD800..0xDC00).contains(&first) {
                            // A surrogate pair: the low half follows as \uXXXX.
                            chars.next();
                            chars.next();
                            0x10000 + ((first - 0xD800) << 10) + (hex4(&mut chars)? - 0xDC00)
                        } else {
                            first
                        };
                        out.push(char::from_u32(code).ok_or("a \\u escape that is no character")?);
                    }
                    other => out.push(other),
                }
            }
            c => out.push(c),
        }
    }
    Err("a string without its closing quote".into())
}

/// The four hex digits of a `\\u` escape.
fn hex4(chars: &mut std::str::CharIndices<'_>) -> Result<u32, String> {
    let hex: String = chars.take(4).map(|(_, h)| h).collect();
    u32::from_str_radix(&hex, 16).map_err(|_| format!("bad \\u escape `{hex}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chapters_are_read_back_from_a_preprocessor_answer() {
        let json = r##"{"items":[{"Chapter":{"name":"A","content":"# A\n\"q\" \\ \u00e9 \ud83d\ude00 \"content\":\"x","number":[1],"sub_items":[],"path":"a.md","source_path":"a.md","parent_names":[]}},{"Chapter":{"name":"B","content":"–","number":[2],"sub_items":[],"path":"b.md","source_path":"b.md","parent_names":[]}}]}"##;
        let got = chapters_in(json).expect("parsed");
        assert_eq!(
            got,
            vec![
                (
                    "a.md".to_string(),
                    "# A\n\"q\" \\ é 😀 \"content\":\"x".to_string()
                ),
                ("b.md".to_string(), "–".to_string()),
            ]
        );
        assert!(chapters_in(r#"{"content":"unterminated"#).is_err());
    }
}

// ---------------------------------------------------------------- scaling

/// Captures the `[context, book]` JSON that mdBook sends our preprocessor, so
/// the preprocessor can be timed alone on it.
fn capture_protocol_input(opts: &Opts, g: &Generated) -> Result<PathBuf, String> {
    let json = g.codetabs.join("protocol-input.json");
    let wrapper = g.codetabs.join("capture.sh");
    write_script(
        &wrapper,
        &format!(
            "if [ \"$#\" -gt 0 ]; then exec '{bin}' \"$@\"; fi\ntee '{json}' | exec '{bin}'\n",
            bin = opts.codetabs.display(),
            json = json.display()
        ),
    )?;
    let toml_path = g.codetabs.join("book.toml");
    let original = fs::read_to_string(&toml_path).map_err(|e| e.to_string())?;
    let bin_line = format!("command = \"{}\"", opts.codetabs.display());
    write(
        &toml_path,
        &original.replace(&bin_line, &format!("command = \"{}\"", wrapper.display())),
    )?;
    let r = measure(
        Command::new(&opts.mdbook)
            .arg("build")
            .current_dir(&g.codetabs),
        &g.codetabs.join("bench-capture.log"),
    );
    write(&toml_path, &original)?;
    r?;
    Ok(json)
}

fn scaling(
    opts: &Opts,
    tmp: &Path,
    books: &mut BTreeMap<String, Generated>,
    report: &mut String,
) -> Result<(), String> {
    let mut rows = Vec::new();
    for &scale in &opts.scales {
        let name = scale_name(scale);
        if !books.contains_key(&name) {
            let g = generate(&tmp.join(&name), scale, &opts.codetabs)?;
            books.insert(name.clone(), g);
        }
        let g = &books[&name];
        let json = capture_protocol_input(opts, g)?;
        let (mut d, mut p, mut a) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..=opts.runs {
            let (mut acmd, _) = variant_cmd(opts, g, 'a');
            let sa = measure(&mut acmd, &g.inline.join("bench-a.log"))?;
            let (mut cmd, _) = variant_cmd(opts, g, 'd');
            let s = measure(&mut cmd, &g.codetabs.join("bench-d.log"))?;
            let input = fs::File::open(&json).map_err(|e| e.to_string())?;
            let mut pcmd = Command::new(&opts.codetabs);
            pcmd.current_dir(&g.codetabs);
            let ps = measure_with_stdin(&mut pcmd, input)?;
            eprintln!(
                "  scale {scale} round {round}: d wall {:.2}s cpu {:.2}s; preprocessor alone wall {:.2}s cpu {:.2}s",
                s.wall, s.cpu, ps.wall, ps.cpu
            );
            if round > 0 {
                d.push(s);
                p.push(ps);
                a.push(sa);
            }
        }
        let json_bytes = fs::metadata(&json).map(|m| m.len()).unwrap_or(0);
        rows.push((
            scale,
            g.files,
            g.groups,
            g.source_bytes,
            json_bytes,
            stats(&d),
            stats(&p),
            stats(&a),
        ));
    }
    let _ = writeln!(
        report,
        "\n### Scaling of (d) `mdbook-codetabs build` (median of {} runs after 1 warm-up)\n",
        opts.runs
    );
    let _ = writeln!(
        report,
        "| scale | handler files | snippets | source (MB) | (d) wall (s) | (a) wall (s) | d/a wall | (d) CPU (s) | (a) CPU (s) | (d) peak RSS (MB) | (a) peak RSS (MB) | d/a RSS | (d) CPU per MB (s) | (a) CPU per MB (s) | preprocessor alone: CPU (s) | its CPU per MB (s) |"
    );
    let _ = writeln!(
        report,
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for (scale, files, groups, bytes, _json, d, p, a) in &rows {
        let mb = *bytes as f64 / 1e6;
        let _ = writeln!(
            report,
            "| {scale}× | {files} | {} | {mb:.1} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.0} | {:.0} | {:.2} | {:.3} | {:.3} | {:.2} | {:.3} |",
            groups * 4,
            d.wall,
            a.wall,
            d.wall / a.wall,
            d.cpu,
            a.cpu,
            d.maxrss_mb,
            a.maxrss_mb,
            d.maxrss_mb / a.maxrss_mb,
            d.cpu / mb,
            a.cpu / mb,
            p.cpu,
            p.cpu / mb,
        );
    }
    // Issue 14's goals, judged on the medians above (both from this run).
    let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
    for (scale, wall_goal, rss_goal) in [(1.0, 1.10, None), (4.0, 1.15, Some(1.10))] {
        let Some((.., d, _, a)) = rows.iter().find(|r| r.0 == scale) else {
            continue;
        };
        let (w, m) = (d.wall / a.wall, d.maxrss_mb / a.maxrss_mb);
        let mut line = format!(
            "\nGoal at {scale}×: d/a wall {w:.2} ≤ {wall_goal:.2}: {}",
            verdict(w <= wall_goal)
        );
        if let Some(g) = rss_goal {
            let _ = write!(line, "; d/a peak RSS {m:.2} ≤ {g:.2}: {}", verdict(m <= g));
        }
        let _ = writeln!(report, "{line}");
    }
    let _ = writeln!(
        report,
        "\n\"Preprocessor alone\" is `mdbook-codetabs` on the captured `[context, book]` JSON (stdin → stdout, the protocol run without mdBook): parsing, snippet extraction, rendering and JSON in/out."
    );
    Ok(())
}

fn measure_with_stdin(cmd: &mut Command, input: fs::File) -> Result<Sample, String> {
    cmd.stdin(input).stdout(Stdio::null()).stderr(Stdio::null());
    let start = Instant::now();
    let child = cmd.spawn().map_err(|e| format!("spawn {cmd:?}: {e}"))?;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: as in `measure`.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
    let wall = start.elapsed().as_secs_f64();
    drop(child);
    if rc != pid || !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        return Err(format!("{cmd:?} failed ({status})"));
    }
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Ok(Sample {
        wall,
        cpu: tv(ru.ru_utime) + tv(ru.ru_stime),
        maxrss_kb: ru.ru_maxrss as f64,
    })
}

// ---------------------------------------------------------------- serve

fn copy_book(repo: &Path, dst: &Path) -> Result<(), String> {
    fs::create_dir_all(dst).map_err(|e| e.to_string())?;
    // Data files that chapters read (recorded runs): the committed copy first,
    // then the working tree's over it, so a half-rewritten folder still builds.
    let _ = Command::new("sh")
        .arg("-c")
        .arg("git -C \"$1\" archive HEAD engine/reports 2>/dev/null | tar -C \"$0\" -xf - 2>/dev/null")
        .arg(dst)
        .arg(repo)
        .status();
    let mut items = vec!["book.toml", "src", "theme", "handlers"];
    for extra in [".gitignore", "codetabs.lock", "engine/reports"] {
        if repo.join(extra).exists() {
            items.push(extra);
        }
    }
    let status = Command::new("sh")
        .arg("-c")
        .arg(
            "src=$1; shift; tar -C \"$src\" -cf - --exclude=node_modules --exclude=.venv \
             --exclude=target --exclude=__pycache__ --exclude=.pytest_cache --exclude=.ruff_cache \
             \"$@\" | tar -C \"$0\" -xf -",
        )
        .arg(dst)
        .arg(repo)
        .args(&items)
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("copying the book failed".into());
    }
    Ok(())
}

/// First `{{#codetabs stem:anchor` in the chapters, with its chapter path.
fn pick_target(book: &Path) -> Result<(String, String, PathBuf), String> {
    let mut chapters = Vec::new();
    let mut stack = vec![book.join("src")];
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(&dir).map_err(|e| e.to_string())?.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                chapters.push(p);
            }
        }
    }
    chapters.sort();
    for ch in chapters {
        let text = fs::read_to_string(&ch).unwrap_or_default();
        for piece in text.split("{{#codetabs ").skip(1) {
            let arg = piece
                .split_whitespace()
                .next()
                .unwrap_or("")
                .trim_end_matches("}}");
            if let Some((stem, anchor)) = arg.rsplit_once(':') {
                if !stem.contains('{') && book.join(format!("handlers/ruby/{stem}.rb")).exists() {
                    let rel = ch
                        .strip_prefix(book.join("src"))
                        .map_err(|e| e.to_string())?;
                    let page = book.join("book").join(rel).with_extension("html");
                    return Ok((stem.to_string(), anchor.to_string(), page));
                }
            }
        }
    }
    Err("no {{#codetabs stem:anchor}} with a Ruby file found".into())
}

/// 0..max ms from the clock's nanoseconds: no RNG dependency needed.
fn jitter_ms(max: u64) -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos() as u64);
    (nanos / 1000) % max
}

fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

fn wait_for(deadline: Duration, mut f: impl FnMut() -> bool) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < deadline {
        if f() {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    None
}

/// The live-preview server timed.
#[derive(Clone, Copy)]
enum Server<'a> {
    Ours(&'a Path),
    MdBookPoll,
}

impl Server<'_> {
    fn slug(self) -> &'static str {
        match self {
            Server::Ours(_) => "codetabs-serve",
            Server::MdBookPoll => "mdbook-poll",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Server::Ours(_) => "`codetabs-serve` (what `scripts/serve` runs)",
            Server::MdBookPoll => "`mdbook serve --watcher poll` (mdBook's default watcher)",
        }
    }

    fn command(self, opts: &Opts, port: u16) -> Command {
        let mut c = match self {
            Server::Ours(bin) => Command::new(bin),
            Server::MdBookPoll => {
                let mut c = Command::new(&opts.mdbook);
                c.args(["serve", "--watcher", "poll"]);
                c
            }
        };
        c.args(["-n", "127.0.0.1", "-p", &port.to_string()]);
        c
    }
}

fn serve_latency(
    opts: &Opts,
    tmp: &Path,
    server_kind: Server<'_>,
    report: &mut String,
) -> Result<(), String> {
    let watcher = server_kind.slug();
    let book = tmp.join(format!("serve-{watcher}"));
    copy_book(&opts.repo, &book)?;
    let toml_path = book.join("book.toml");
    let toml = fs::read_to_string(&toml_path).map_err(|e| e.to_string())?;
    let mut in_codetabs = false;
    let mut replaced = false;
    let patched: Vec<String> = toml
        .lines()
        .map(|l| {
            if l.trim_start().starts_with('[') {
                in_codetabs = l.trim() == "[preprocessor.codetabs]";
            } else if in_codetabs && l.trim_start().starts_with("command") {
                replaced = true;
                return format!("command = \"{}\"", opts.codetabs.display());
            }
            l.to_string()
        })
        .collect();
    if !replaced {
        return Err("book.toml has no [preprocessor.codetabs] command to repoint".into());
    }
    write(&toml_path, &(patched.join("\n") + "\n"))?;

    // One plain build first, for scale: what each rebuild costs.
    let build = measure(
        Command::new(&opts.mdbook).arg("build").current_dir(&book),
        &book.join("bench-build.log"),
    )?;
    let (stem, anchor, page) = pick_target(&book)?;
    let handler = book.join(format!("handlers/ruby/{stem}.rb"));
    let _ = fs::remove_dir_all(book.join("book"));

    let port = free_port()?;
    let log = fs::File::create(book.join("bench-serve.log")).map_err(|e| e.to_string())?;
    let mut server = server_kind
        .command(opts, port)
        .current_dir(&book)
        .stdin(Stdio::null())
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log)
        .spawn()
        .map_err(|e| format!("{}: {e}", server_kind.slug()))?;
    let result = (|| -> Result<Vec<f64>, String> {
        wait_for(Duration::from_secs(60), || page.exists())
            .ok_or("mdbook serve did not build the book within 60 s")?;
        // Let the first build finish and the watcher take its first scan.
        std::thread::sleep(Duration::from_secs(3));
        let mut latencies = Vec::new();
        for k in 0..opts.serve_edits {
            let token = format!("codetabs_bench_edit_{k}_{}", std::process::id());
            let text = fs::read_to_string(&handler).map_err(|e| e.to_string())?;
            let end_marker = format!("ANCHOR_END: {anchor}");
            let mut lines: Vec<&str> = text.lines().collect();
            let at = lines
                .iter()
                .position(|l| {
                    l.trim_start().starts_with('#')
                        && l.split("ANCHOR_END:").nth(1).map(str::trim) == Some(anchor.as_str())
                })
                .ok_or(format!("no `{end_marker}` in {}", handler.display()))?;
            let indent: String = lines[at]
                .chars()
                .take_while(|c| c.is_whitespace())
                .collect();
            let added = format!("{indent}# {token}");
            lines.insert(at, &added);
            let mut f = fs::File::create(&handler).map_err(|e| e.to_string())?;
            f.write_all((lines.join("\n") + "\n").as_bytes())
                .map_err(|e| e.to_string())?;
            drop(f);
            let seen = wait_for(Duration::from_secs(20), || {
                fs::read_to_string(&page).is_ok_and(|h| h.contains(&token))
            })
            .ok_or(format!("edit {k} never reached {}", page.display()))?;
            eprintln!("  serve ({watcher}) edit {k}: {:.3}s", seen.as_secs_f64());
            latencies.push(seen.as_secs_f64());
            // Let the rebuild finish; the jitter spreads the edits over the
            // poll watcher's 1 s cycle instead of locking onto one phase.
            std::thread::sleep(Duration::from_millis(2000 + jitter_ms(1000)));
        }
        Ok(latencies)
    })();
    let _ = server.kill();
    let _ = server.wait();
    let latencies = result?;
    let shown: Vec<String> = latencies.iter().map(|l| format!("{l:.2}")).collect();
    let rel_page = page
        .strip_prefix(&book)
        .unwrap_or(&page)
        .display()
        .to_string();
    let _ = writeln!(
        report,
        "\n### {} on a copy of the real book\n\n\
         Edit: a comment line added inside `ANCHOR: {anchor}` of `handlers/ruby/{stem}.rb`; \
         time from the file being saved to `{rel_page}` on disk containing it.\n\n\
         | edits | median (s) | min (s) | max (s) | each (s) | one full `mdbook build` of the book (wall / CPU, s) |\n\
         |---:|---:|---:|---:|---|---|\n\
         | {} | {:.2} | {:.2} | {:.2} | {} | {:.2} / {:.2} |",
        server_kind.title(),
        latencies.len(),
        median(latencies.clone()),
        latencies.iter().cloned().fold(f64::INFINITY, f64::min),
        latencies.iter().cloned().fold(0.0, f64::max),
        shown.join(", "),
        build.wall,
        build.cpu
    );
    Ok(())
}
