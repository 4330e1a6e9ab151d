#!/usr/bin/env python3
"""Time from exec to the banner line of the built launcher, against a bare JVM printing one line.

Run after `mvn -q -DskipTests package`:  python3 gahp-cli/src/bench/startup_ratio.py [runs]
Runs are interleaved so a busy machine skews every command alike; medians are reported.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
target = os.path.normpath(os.path.join(here, "..", "..", "target"))
launcher = os.path.join(target, "azure-gahp")
java_home = os.environ.get("JAVA_HOME")
java = os.path.join(java_home, "bin", "java") if java_home else "java"


def first_line_seconds(cmd):
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    p.stdout.readline()
    elapsed = time.perf_counter() - start
    p.stdin.close()
    p.wait()
    return elapsed


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "Hello.java"), "w") as f:
            f.write('public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n')
        subprocess.check_call([java + "c" if not java_home else os.path.join(java_home, "bin", "javac"),
                               "-d", tmp, os.path.join(tmp, "Hello.java")])
        cmds = {
            "bare JVM, one line": [java, "-cp", tmp, "Hello"],
            "azure-gahp --cloud fake": [launcher, "--cloud", "fake"],
            "azure-gahp (azure)": [launcher],
            "java -jar, no launcher flags/CDS": [java, "-jar", os.path.join(target, "azure-gahp.jar")],
        }
        results = {name: [] for name in cmds}
        for _ in range(runs):
            for name, cmd in cmds.items():
                results[name].append(first_line_seconds(cmd))
    base = statistics.median(results["bare JVM, one line"])
    for name, times in results.items():
        m = statistics.median(times)
        print("%-34s %6.0f ms  x%.2f" % (name, m * 1000, m / base))


if __name__ == "__main__":
    main()
