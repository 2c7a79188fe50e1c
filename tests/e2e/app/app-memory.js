// Memory of the real app and its WebKit children, for the benchmarks: PSS and RSS summed from
// /proc/*/smaps_rollup over every process whose executable is the app binary and their
// descendants, with each process's share.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { resolve } from "node:path";

/** Pids whose executable is the app binary, with all their descendants. */
function appTree(app) {
  const target = resolve(app);
  const parent = new Map();
  const roots = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parent.set(Number(d), ppid);
      if (readlinkSync(`/proc/${d}/exe`) === target) roots.push(Number(d));
    } catch {
      // gone, or not ours to read
    }
  }
  const tree = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parent) if (!tree.has(pid) && tree.has(ppid)) (tree.add(pid), (grew = true));
  }
  return [...tree];
}

/** PSS and RSS (KiB) summed over the app's processes, and PSS by process name. */
export function appMemoryKiB(app) {
  let pss = 0;
  let rss = 0;
  const byName = new Map();
  const pids = appTree(app);
  for (const pid of pids) {
    try {
      const text = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
      const p = Number(/^Pss:\s+(\d+)/m.exec(text)?.[1] ?? 0);
      pss += p;
      rss += Number(/^Rss:\s+(\d+)/m.exec(text)?.[1] ?? 0);
      const name = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      byName.set(name, (byName.get(name) ?? 0) + p);
    } catch {
      // exited meanwhile
    }
  }
  return { pss, rss, processes: pids.length, byName };
}

/** The same, as a line to print. */
export function appMemory(app) {
  const { pss, rss, processes, byName } = appMemoryKiB(app);
  const parts = [...byName].map(([n, kib]) => `${n} ${(kib / 1024).toFixed(0)}`).join(", ");
  const mb = (kib) => ((kib * 1024) / 1e6).toFixed(0);
  return `${(pss / 1024).toFixed(0)} MiB PSS (${mb(pss)} MB), ${(rss / 1024).toFixed(0)} MiB RSS (${processes} processes; PSS MiB by process: ${parts})`;
}

/**
 * Where one of the app's processes (by name, e.g. "lanyard-app") holds its memory: PSS (MiB) by
 * mapping, anonymous ones grouped ("[anon]", "[heap]", "[stack]"), the largest first.
 */
export function mappings(app, name, top = 8) {
  const out = [];
  for (const pid of appTree(app)) {
    let comm;
    try {
      comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
    } catch {
      continue;
    }
    if (comm !== name) continue;
    const by = new Map();
    let current = "[anon]";
    for (const line of readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
      const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
      if (head) {
        const path = head[1] ?? "";
        current = path === "" ? "[anon]" : path.startsWith("[") ? path : path.split("/").pop();
        continue;
      }
      const pss = /^Pss:\s+(\d+)/.exec(line);
      if (pss) by.set(current, (by.get(current) ?? 0) + Number(pss[1]));
    }
    const list = [...by].sort((a, b) => b[1] - a[1]).slice(0, top);
    out.push(`${name} ${pid}: ${list.map(([k, v]) => `${k} ${(v / 1024).toFixed(1)}`).join(", ")}`);
  }
  return out.join("\n");
}

/** CPU seconds (user + system) each of the app's processes has used so far, by name. */
export function appCpuSeconds(app) {
  const tick = 100; // USER_HZ on Linux
  const by = new Map();
  for (const pid of appTree(app)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const secs = (Number(fields[11]) + Number(fields[12])) / tick;
      const name = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      by.set(name, (by.get(name) ?? 0) + secs);
    } catch {
      // exited meanwhile
    }
  }
  return by;
}

/** The CPU seconds each process used since `before` (an appCpuSeconds answer), as a line. */
export function cpuSince(app, before) {
  return [...appCpuSeconds(app)].map(([n, s]) => `${n} ${(s - (before.get(n) ?? 0)).toFixed(1)}`).join(", ");
}
