using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace EventsBindings.Docs.Tests;

/// <summary>
/// Every <c>```csharp</c> block of the repository's Markdown files compiles against the real libraries and the
/// generated clients (tests/EventsBindings.Clients). A block of statements is compiled as the body of an async
/// method; a block with <c>using</c> directives or type declarations as a file of its own. Each block gets the
/// namespaces of the generated types it names (the client namespace of <c>BanyanClient</c>, of <c>LogsQuery</c>),
/// the library namespaces and the usual System ones, so the examples read as users write them. An error is
/// reported at the Markdown file's line.
/// </summary>
public sealed partial class DocumentationExamplesTests
{
    private static readonly string Root = FindRoot();

    /// <summary>The assemblies the examples may use: loaded here so that their files are in the output folder.</summary>
    private static readonly Assembly[] Libraries =
    {
        typeof(EventsBindings.Banyan.BanyanClient).Assembly,                           // the generated clients
        typeof(EventsBindings.Runtime.EventsClientOptions).Assembly,                    // the runtime
        typeof(EventsBindings.MockServer.Hosting.MockServerHost).Assembly,               // the mock server
        typeof(EventsBindings.MockServer.Xunit.MockServerFixture).Assembly,              // its xunit fixture
        typeof(EventsBindings.MockServer.WireMock.WireMockContracts).Assembly,           // the WireMock.Net adapter
        typeof(global::WireMock.Server.WireMockServer).Assembly,
        typeof(Microsoft.Extensions.DependencyInjection.ServiceCollection).Assembly,   // DI, as the README's registrations use it
        typeof(Microsoft.Extensions.Configuration.ConfigurationBuilder).Assembly,
    };

    public static TheoryData<string, int> Blocks()
    {
        var data = new TheoryData<string, int>();
        foreach (var file in MarkdownFiles())
        {
            foreach (var block in Extract(File.ReadAllText(Path.Combine(Root, file))))
            {
                data.Add(file, block.Line);
            }
        }

        return data;
    }

    [Fact]
    public void The_readme_has_examples_to_compile()
    {
        Assert.True(Extract(File.ReadAllText(Path.Combine(Root, "README.md"))).Count() >= 3);
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void The_example_compiles(string file, int line)
    {
        var block = Extract(File.ReadAllText(Path.Combine(Root, file))).Single(b => b.Line == line);
        var usings = Namespaces(block.Code).Select(n => $"global using {n};").ToList();
        var isFile = FileLevel().IsMatch(block.Code);
        var source = isFile
            ? block.Code
            : "internal static class Example\n{\n    internal static async System.Threading.Tasks.Task RunAsync()\n    {\n#line 1\n" + block.Code + "\n        await System.Threading.Tasks.Task.CompletedTask;\n    }\n}\n";
        var options = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "Example",
            new[]
            {
                CSharpSyntaxTree.ParseText(string.Join("\n", usings), options, "usings.cs"),
                CSharpSyntaxTree.ParseText(source, options, "example.cs"),
            },
            References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath == "example.cs")
            .Select(d => $"{file}({line + (isFile ? d.Location.GetLineSpan() : d.Location.GetMappedLineSpan()).StartLinePosition.Line}): {d.Id} {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")
            .ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    /// <summary>The System, library and generated-client namespaces a block gets as global usings.</summary>
    private static IEnumerable<string> Namespaces(string code)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal)
        {
            "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading",
            "System.Threading.Tasks", "Xunit", "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Configuration",
        };
        foreach (var assembly in Libraries.Skip(1))
        {
            foreach (var ns in assembly.GetExportedTypes().Select(t => t.Namespace).OfType<string>())
            {
                result.Add(ns);
            }
        }

        // Generated types share names across APIs (EventsQuery, Event): a client namespace is imported when the
        // block names (not as a member after a dot) a type that only it has and that no library defines.
        var libraryNames = Libraries.Skip(1).SelectMany(a => a.GetExportedTypes()).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var generated = Libraries[0].GetExportedTypes().Where(t => t.Namespace is not null && !t.IsNested && !libraryNames.Contains(t.Name)).ToList();
        var unique = generated.GroupBy(t => t.Name, StringComparer.Ordinal).Where(g => g.Select(t => t.Namespace).Distinct().Count() == 1)
            .ToDictionary(g => g.Key, g => g.First().Namespace!, StringComparer.Ordinal);
        foreach (Match m in Identifier().Matches(code))
        {
            if (unique.TryGetValue(m.Value, out var ns))
            {
                result.Add(ns);
            }
        }

        return result;
    }

    private static IEnumerable<MetadataReference> References()
    {
        var files = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.First());
        return files.Select(f => MetadataReference.CreateFromFile(f)).ToList();
    }

    /// <summary>The <c>```csharp</c> blocks of a Markdown text, with the line of their first code line.</summary>
    private static IEnumerable<(int Line, string Code)> Extract(string markdown)
    {
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimEnd() != "```csharp")
            {
                continue;
            }

            var code = new StringBuilder();
            var start = i + 2;
            for (i++; i < lines.Length && lines[i].TrimEnd() != "```"; i++)
            {
                code.Append(lines[i].TrimEnd('\r')).Append('\n');
            }

            yield return (start, code.ToString());
        }
    }

    /// <summary>The repository's Markdown files, relative to its root (tools, build output and node modules left out).</summary>
    private static IEnumerable<string> MarkdownFiles() => Directory.EnumerateFiles(Root, "*.md", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
        .Where(f => !f.Split('/').Any(part => part is ".tools" or "bin" or "obj" or "node_modules" or ".git" or "artifacts"))
        .Order(StringComparer.Ordinal);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EventsBindings.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (with EventsBindings.sln) is not above " + AppContext.BaseDirectory);
    }

    /// <summary>A block that is a file: it has using directives or declares types at its top level.</summary>
    [GeneratedRegex(@"(?m)^(using [\w.]+;|(public |internal )?(sealed |static |abstract )*(partial )?(class|record|struct|interface) )")]
    private static partial Regex FileLevel();

    [GeneratedRegex(@"(?<![.\w])[A-Z]\w*\b")]
    private static partial Regex Identifier();
}
