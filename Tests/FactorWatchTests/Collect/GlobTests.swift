import Foundation
import Testing

@testable import FactorWatch

@Suite struct GlobTests {
    @Test func starAndQuestionMarkMatchWithinAName() {
        #expect(Glob.matchName(pattern: "barra_factors_*.tar.gz", name: "barra_factors_20261122.tar.gz"))
        #expect(Glob.matchName(pattern: "barra_factors_*.tar.gz", name: "barra_factors_.tar.gz"))
        #expect(!Glob.matchName(pattern: "barra_factors_*.tar.gz", name: "barra_factors_20261122.tar.gz.part"))
        #expect(Glob.matchName(pattern: "2026112?.parquet", name: "20261123.parquet"))
        #expect(!Glob.matchName(pattern: "2026112?.parquet", name: "2026112.parquet"))
        #expect(Glob.matchName(pattern: "*a*b*c", name: "xxaxxbxxbxxc"))
        #expect(!Glob.matchName(pattern: "*a*b*c", name: "xxaxxbxxbxxcx"))
    }

    @Test func bracketClassesRangesAndNegation() {
        #expect(Glob.matchName(pattern: "[ab]x", name: "bx"))
        #expect(!Glob.matchName(pattern: "[ab]x", name: "cx"))
        #expect(Glob.matchName(pattern: "log[0-9]", name: "log7"))
        #expect(!Glob.matchName(pattern: "log[!0-9]", name: "log7"))
        #expect(Glob.matchName(pattern: "log[^0-9]", name: "logx"))
        #expect(Glob.matchName(pattern: "[]]", name: "]"))
        #expect(Glob.matchName(pattern: "a[-z]", name: "a-"))
        // An unclosed bracket is an ordinary character, as in the shell.
        #expect(Glob.matchName(pattern: "a[b", name: "a[b"))
    }

    @Test func escapesMakeWildcardsLiteral() {
        #expect(Glob.matchName(pattern: "a\\*", name: "a*"))
        #expect(!Glob.matchName(pattern: "a\\*", name: "ab"))
        #expect(Glob.matchName(pattern: "a\\?b", name: "a?b"))
    }

    @Test func wildcardsDoNotMatchALeadingDot() {
        #expect(!Glob.matchName(pattern: "*", name: ".hidden"))
        #expect(!Glob.matchName(pattern: "?hidden", name: ".hidden"))
        #expect(Glob.matchName(pattern: ".*", name: ".hidden"))
        #expect(Glob.matchName(pattern: "*.log", name: "update.log"))
    }

    @Test func pathMatchingTreatsDoubleStarAsAnyDirectories() {
        let glob = Glob("/backup/**/barra_*.tar.gz")
        #expect(glob.matches(path: "/backup/barra_1.tar.gz"))
        #expect(glob.matches(path: "/backup/a/b/barra_1.tar.gz"))
        #expect(!glob.matches(path: "/backup/.snap/barra_1.tar.gz"))
        #expect(!glob.matches(path: "backup/barra_1.tar.gz"))
        #expect(!Glob("/backup/*.gz").matches(path: "/backup/a/x.gz"))
    }

    @Test func expandWalksRealDirectories() throws {
        let scratch = try CollectScratchDirectory()
        try scratch.file("b/barra_factors_20261115.tar.gz")
        try scratch.file("b/barra_factors_20261122.tar.gz")
        try scratch.file("b/other.tar.gz")
        try scratch.file("b/.barra_factors_hidden.tar.gz")
        try scratch.file("b/old/barra_factors_20261108.tar.gz")
        try scratch.file("b/old/deeper/barra_factors_20261101.tar.gz")
        let base = scratch.path

        let flat = Glob(base + "/b/barra_factors_*.tar.gz").expand()
        #expect(flat.paths == [base + "/b/barra_factors_20261115.tar.gz", base + "/b/barra_factors_20261122.tar.gz"])
        #expect(flat.unreadable.isEmpty)

        let deep = Glob(base + "/b/**/barra_factors_*.tar.gz").expand()
        #expect(deep.paths.count == 4)
        #expect(deep.paths.contains(base + "/b/old/deeper/barra_factors_20261101.tar.gz"))

        let middle = Glob(base + "/*/old/*.tar.gz").expand()
        #expect(middle.paths == [base + "/b/old/barra_factors_20261108.tar.gz"])

        let literal = Glob(base + "/b/other.tar.gz").expand()
        #expect(literal.paths == [base + "/b/other.tar.gz"])
        #expect(Glob(base + "/b/absent.tar.gz").expand().paths.isEmpty)
    }

    @Test func aMissingDirectoryIsNoMatchAndNoError() throws {
        let scratch = try CollectScratchDirectory()
        let expansion = Glob(scratch.path + "/nowhere/*.gz").expand()
        #expect(expansion.paths.isEmpty)
        #expect(expansion.unreadable.isEmpty)
    }

    @Test(.enabled(if: !collectTestsRunAsRoot, "root reads any directory"))
    func anUnreadableDirectoryIsReported() throws {
        let scratch = try CollectScratchDirectory()
        let locked = try scratch.directory("locked")
        try scratch.file("locked/a.gz")
        chmod(locked, 0)
        let expansion = Glob(locked + "/*.gz").expand()
        #expect(expansion.paths.isEmpty)
        #expect(expansion.unreadable == [FileSystem.Failure(path: locked, code: EACCES)])
    }

    @Test(.enabled(if: unreadableSystemDirectory != nil, "no directory here refuses to be listed"))
    func aDirectoryEvenRootCannotListIsReported() throws {
        let locked = try #require(unreadableSystemDirectory)
        let expansion = Glob(locked + "/*").expand()
        #expect(expansion.paths.isEmpty)
        #expect(expansion.unreadable.map(\.path) == [locked])
        #expect(expansion.unreadable.first?.reason == "Permission denied")
    }
}

/// A directory that exists but cannot be listed even by root (process 1's `map_files` needs CAP_SYS_ADMIN), if any.
let unreadableSystemDirectory: String? = {
    let path = "/proc/1/map_files"
    guard let handle = opendir(path) else { return errno == EACCES ? path : nil }
    defer { closedir(handle) }
    while true {
        errno = 0
        if readdir(handle) == nil { return errno == EACCES ? path : nil }
    }
}()
