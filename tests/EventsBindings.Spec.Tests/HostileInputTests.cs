using System.Text;
using EventsBindings.Spec.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace EventsBindings.Spec.Tests;

/// <summary>
/// Input built to hurt: none of it may throw, hang or overflow the stack; each gets a diagnostic
/// with a location. (Nothing here is timed; a generous watchdog only turns a hang into a failure.)
/// </summary>
public sealed class HostileInputTests(ITestOutputHelper output)
{
    private const string Head = "format: 1\nname: X\nnamespace: X\ntitle: X\n";

    public static TheoryData<string, string, string, int> Inputs()
    {
        var data = new TheoryData<string, string, string, int>
        {
            // name, text, expected id, expected line (0: any)
            { "empty", string.Empty, DiagnosticIds.MissingKey, 1 },
            { "whitespace only", "   \n\n  \n", DiagnosticIds.MissingKey, 1 },
            { "comments only", "# nothing\n# here\n", DiagnosticIds.MissingKey, 1 },
            { "document marker only", "---\n", DiagnosticIds.MissingKey, 1 },
            { "explicit null", "~\n", DiagnosticIds.MissingKey, 1 },
            { "list at the root", "- 1\n- 2\n", DiagnosticIds.WrongType, 1 },
            { "scalar at the root", "hello", DiagnosticIds.WrongType, 1 },
            { "two documents", Head + "---\n" + Head, DiagnosticIds.YamlSyntax, 5 },
            { "duplicate keys", Head + "title: Y\n", DiagnosticIds.DuplicateKey, 5 },
            { "tab indentation", "format: 1\nservers:\n  - name: A\n\t  url: x\n", DiagnosticIds.YamlSyntax, 4 },
            { "control character", Head + "docs: a\u0001b\n", DiagnosticIds.YamlSyntax, 5 },
            { "NUL character", Head + "docs: a\0b\n", DiagnosticIds.YamlSyntax, 5 },
            { "escaped unpaired surrogate", Head + "docs: \"\\ud83d\"\n", DiagnosticIds.YamlSyntax, 5 },
            { "recursive alias", "a: &a [*a]\n", DiagnosticIds.YamlSyntax, 1 },
            { "undefined alias", "a: *nope\n", DiagnosticIds.YamlSyntax, 1 },
            { "complex key", "? [a, b]\n: 1\n", DiagnosticIds.WrongType, 1 },
            { "unclosed quote", "format: 1\nname: \"X\n", DiagnosticIds.YamlSyntax, 0 },
            { "unclosed flow", "format: [1, 2\n", DiagnosticIds.YamlSyntax, 0 },
            { "huge integer", "format: 99999999999999999999999999\n", DiagnosticIds.WrongType, 1 },
            { "key without value at the end", "format: 1\nname:", DiagnosticIds.MissingKey, 2 },
            { "billion laughs", BillionLaughs(), DiagnosticIds.TooComplex, 0 },
            { "10k-deep flow sequences", "a: " + new string('[', 10_000) + new string(']', 10_000) + "\n", DiagnosticIds.TooComplex, 1 },
            { "10k-deep flow mappings", "a: " + string.Concat(Enumerable.Repeat("{a: ", 10_000)) + "1" + new string('}', 10_000) + "\n", DiagnosticIds.TooComplex, 1 },
            { "10k-deep block sequences", "a:\n" + string.Concat(Enumerable.Repeat("- ", 10_000)) + "x\n", DiagnosticIds.TooComplex, 2 },
            { "10k-deep unclosed flow", new string('[', 10_000), DiagnosticIds.TooComplex, 1 },
            { "deep block mappings", DeepBlockMappings(100), DiagnosticIds.TooComplex, 0 },
            { "5 MB scalar", Head + "description: \"" + new string('x', 5 * 1024 * 1024) + "\"\n", DiagnosticIds.TooComplex, 5 },
            { "9 MB document", Head + "description: |\n" + string.Concat(Enumerable.Repeat("  " + new string('y', 98) + "\n", 95_000)), DiagnosticIds.TooComplex, 1 },
            { "deep JSON in an example", ExampleWith(new string('[', 200) + new string(']', 200)), DiagnosticIds.ExampleJson, 0 },
            { "JSON alias in an example", ExampleWith("[&a 1, *a]"), DiagnosticIds.ExampleJson, 0 },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Hostile_input_gives_a_located_diagnostic_and_never_throws(string name, string text, string expectedId, int expectedLine)
    {
        var result = RunWithWatchdog(() => ContractReader.Parse(text, name + ".yaml"));
        foreach (var d in result.Diagnostics.Take(10))
        {
            output.WriteLine(d.ToString());
        }

        Assert.Null(result.Contract);
        Assert.NotEmpty(result.Diagnostics);
        Assert.All(result.Diagnostics, d =>
        {
            Assert.StartsWith("EB1", d.Id, StringComparison.Ordinal);
            Assert.NotEqual(DiagnosticIds.Internal, d.Id);
            Assert.True(d.Location.StartLine >= 1 && d.Location.StartColumn >= 1, d.ToString());
            Assert.True(d.Location.EndLine >= d.Location.StartLine, d.ToString());
            Assert.True(d.Message.Length < 2_000, "messages stay short");
        });
        Assert.Contains(result.Diagnostics, d => d.Id == expectedId && (expectedLine == 0 || d.Location.StartLine == expectedLine));
    }

    [Fact]
    public void Unpaired_surrogates_are_syntax_errors()
    {
        // Not theory data: xunit would replace the lone surrogates while serializing the cases.
        foreach (var (text, line, column) in new[] { (Head + "docs: a\ud83db\n", 5, 8), (Head + "docs: \ude00\n", 5, 7), ("\ud800", 1, 1) })
        {
            var result = RunWithWatchdog(() => ContractReader.Parse(text, "s.yaml"));
            var diagnostic = Assert.Single(result.Diagnostics);
            Assert.Equal(DiagnosticIds.YamlSyntax, diagnostic.Id);
            Assert.Equal((line, column), (diagnostic.Location.StartLine, diagnostic.Location.StartColumn));
        }
    }

    [Fact]
    public void Null_text_and_file_are_bad_input_not_exceptions()
    {
        var result = ContractReader.Parse(null!, null!);
        Assert.Null(result.Contract);
        Assert.Single(result.Diagnostics);
    }

    [Fact]
    public void Json_conformance_survives_hostile_json()
    {
        var contract = TestFiles.Contract(TestFiles.Abr);
        foreach (var json in new[] { string.Empty, "[", new string('[', 50_000), "{\"a\": \u0001}", "[&a 1, *a]", "\"\\ud800\"", "{\"id\": 1, \"id\": 2}", "- 1\n- 2\n" })
        {
            var problems = RunWithWatchdog(() => JsonConformance.Check(contract, "Event", json, isArray: true));
            var problem = Assert.Single(problems);
            Assert.Equal(DiagnosticIds.ExampleJson, problem.Id);
            Assert.True(problem.Line >= 1 && problem.Column >= 1);
        }
    }

    private static T RunWithWatchdog<T>(Func<T> action)
    {
        // Run on a thread with an ordinary 1 MB stack: deep input must not rely on a big stack.
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = action();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        }, 1024 * 1024);
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(30)), "hung");
        Assert.Null(failure);
        return result;
    }

    private static string BillionLaughs()
    {
        var text = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i <= 9; i++)
        {
            text.Append("a").Append(i).Append(": &a").Append(i).Append(" [");
            text.Append(string.Join(", ", Enumerable.Repeat("*a" + (i - 1), 10)));
            text.Append("]\n");
        }

        return text.ToString();
    }

    private static string DeepBlockMappings(int depth)
    {
        var text = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            text.Append(' ', i * 2).Append("k:\n");
        }

        return text.Append(' ', depth * 2).Append("v\n").ToString();
    }

    private static string ExampleWith(string json)
    {
        var text = File.ReadAllText(Path.Combine(TestFiles.BrokenDirectory, "_base.yaml.txt"));
        return text.Replace("{\"data\": [{\"id\": 1, \"level\": \"LOW\", \"text\": null, \"time\": 1700000000000}]}", json, StringComparison.Ordinal);
    }
}

/// <summary>A bug inside the parser becomes an EB1000 diagnostic, never an exception.</summary>
public sealed class InternalErrorTests
{
    [Fact]
    public void An_unexpected_exception_becomes_an_internal_diagnostic()
    {
        const string file = "fault-injected.yaml";
        Parsing.ContractParser.FaultInjection = f =>
        {
            if (f == file)
            {
                throw new InvalidOperationException("injected");
            }
        };
        try
        {
            var result = ContractReader.Parse(TestFiles.ContractText(TestFiles.Abr), file);
            Assert.Null(result.Contract);
            var diagnostic = Assert.Single(result.Diagnostics);
            Assert.Equal(DiagnosticIds.Internal, diagnostic.Id);
            Assert.Equal(SpecSeverity.Error, diagnostic.Severity);
            Assert.Contains("injected", diagnostic.Message, StringComparison.Ordinal);
            Assert.Equal((1, 1), (diagnostic.Location.StartLine, diagnostic.Location.StartColumn));
        }
        finally
        {
            Parsing.ContractParser.FaultInjection = null;
        }
    }
}
