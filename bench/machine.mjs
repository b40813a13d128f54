// Describes the machine a benchmark ran on: CPU model (/proc/cpuinfo), cores,
// memory, OS, Node and emcc versions, load average.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";

function firstLine(cmd, args, env = {}) {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] })
      .split("\n")[0].trim();
  } catch {
    return null;
  }
}

function cpuModel() {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8").split("\n").find((l) => l.startsWith("model name"));
    if (line) return line.split(":").slice(1).join(":").trim();
  } catch { /* not Linux */ }
  return os.cpus()[0]?.model ?? "unknown";
}

function osName() {
  try {
    const line = readFileSync("/etc/os-release", "utf8").split("\n").find((l) => l.startsWith("PRETTY_NAME="));
    if (line) return line.slice("PRETTY_NAME=".length).replace(/^"|"$/g, "");
  } catch { /* not Linux */ }
  return `${os.type()} ${os.release()}`;
}

export function describeMachine() {
  return {
    cpu: cpuModel(),
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: osName(),
    kernel: os.release(),
    node: process.version,
    emcc: firstLine("emcc", ["--version"], { NODE_PATH: "/usr/share/nodejs" })?.replace(/^emcc \([^)]*\)\s*/, "") ?? null,
    loadAverageAtStart: os.loadavg().map((v) => Math.round(v * 100) / 100),
  };
}

export function loadAverage() {
  return os.loadavg().map((v) => Math.round(v * 100) / 100);
}
