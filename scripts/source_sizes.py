#!/usr/bin/env python3
"""Lists the Swift files over a line limit and the functions over a body limit under the given folders.

A function is a `func`, `init`, `deinit` or `subscript` declaration; its length runs from the declaration's
first line to its closing brace. Braces inside string literals (also multi-line ones) and comments do not count.
Prints one line per finding and a summary; exits 1 when anything is over a limit.
"""
import argparse
import os
import re
import sys

DECLARATION = re.compile(r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|private|fileprivate|internal|open|static|"
                         r"class|final|override|mutating|nonmutating|convenience|required|nonisolated|"
                         r"package|dynamic)\s+)*(?:func\s|init[?!]?\s*[(<]|deinit\b|subscript\s*[(<])")


def code_only(lines):
    """Each line with strings and comments blanked, so only the code's braces remain."""
    out, in_block, in_multiline = [], False, False
    for line in lines:
        text, i, kept = line, 0, []
        while i < len(text):
            closer = "*/" if in_block else '"""' if in_multiline else None
            if closer:
                end = text.find(closer, i)
                if end < 0:
                    break
                in_block, in_multiline, i = False, False, end + len(closer)
            elif text.startswith("//", i):
                break
            elif text.startswith("/*", i):
                in_block, i = True, i + 2
            elif text.startswith('"""', i):
                in_multiline, i = True, i + 3
            elif text[i] == '"':
                i += 1
                while i < len(text) and text[i] != '"':
                    i += 2 if text[i] == "\\" else 1
                i += 1
            else:
                kept.append(text[i])
                i += 1
        out.append("".join(kept))
    return out


def functions(path):
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    code = code_only(lines)
    found = []
    for start, line in enumerate(code):
        if not DECLARATION.match(line):
            continue
        depth, opened = 0, False
        for end in range(start, len(code)):
            for char in code[end]:
                if char == "{":
                    depth, opened = depth + 1, True
                elif char == "}":
                    depth -= 1
            if depth < 0 and not opened:
                break  # a protocol requirement at the end of its protocol: no body
            if opened and depth <= 0:
                found.append((start + 1, end - start + 1, lines[start].strip()))
                break
            if not opened and end > start and code[end].strip() and not code[end].lstrip().startswith(
                    ("->", "where", "throws", "rethrows", "async", ")", ",")) and "{" not in code[end] \
                    and DECLARATION.match(code[end]):
                break  # a protocol requirement: no body
    return len(lines) - (1 if lines and lines[-1] == "" else 0), found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folders", nargs="+")
    parser.add_argument("--max-file-lines", type=int, default=400)
    parser.add_argument("--max-function-lines", type=int, default=80)
    args = parser.parse_args()
    files = longest_file = longest_function = 0
    over = []
    for folder in args.folders:
        for root, _, names in os.walk(folder):
            for name in sorted(names):
                if not name.endswith(".swift"):
                    continue
                path = os.path.join(root, name)
                count, found = functions(path)
                files += 1
                longest_file = max(longest_file, count)
                if count > args.max_file_lines:
                    over.append(f"{path}: {count} lines (limit {args.max_file_lines})")
                for line, length, text in found:
                    longest_function = max(longest_function, length)
                    if length > args.max_function_lines:
                        over.append(f"{path}:{line}: function of {length} lines (limit {args.max_function_lines}): "
                                    f"{text[:80]}")
    for line in over:
        print(line)
    print(f"{files} files; longest file {longest_file} lines; longest function {longest_function} lines; "
          f"{len(over)} over the limits")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
