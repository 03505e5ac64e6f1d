using System.Text;
using System.Text.RegularExpressions;
using EventsBindings.Spec.Model;
using Xunit;
using Xunit.Abstractions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace EventsBindings.Spec.Tests;

/// <summary>
/// Contracts that mean the same give value-equal models, whatever the key order, flow or block
/// style, quoting, comments and blank lines (the incremental generator caches on this).
/// </summary>
public sealed class EquivalenceTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Rewrites()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in TestFiles.All)
        {
            foreach (var rewrite in new[] { "reversed key order", "flow style, double quotes", "single quotes", "block style, plain", "comments and blank lines" })
            {
                data.Add(file, rewrite);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Rewrites))]
    public void Equivalent_yaml_gives_a_value_equal_model(string file, string rewrite)
    {
        var original = TestFiles.ContractText(file);
        var rewritten = rewrite switch
        {
            "reversed key order" => Restyle(original, reverseKeys: true, mappingStyle: null, scalarStyle: null),
            "flow style, double quotes" => Restyle(original, reverseKeys: false, MappingStyle.Flow, ScalarStyle.DoubleQuoted),
            "single quotes" => Restyle(original, reverseKeys: true, mappingStyle: null, ScalarStyle.SingleQuoted),
            "block style, plain" => Restyle(original, reverseKeys: false, MappingStyle.Block, ScalarStyle.Any),
            _ => AddCommentsAndBlankLines(original),
        };
        Assert.NotEqual(original, rewritten);
        if (rewrite.StartsWith("flow", StringComparison.Ordinal))
        {
            Assert.True(rewritten.Count(c => c == '\n') < 5, "the flow rewrite is one line");
        }

        var a = ContractReader.Parse(original, file);
        var b = ContractReader.Parse(rewritten, "rewritten-" + file);
        foreach (var d in b.Diagnostics.Take(20))
        {
            output.WriteLine(d.ToString());
        }

        Assert.Empty(b.Diagnostics);
        Assert.NotNull(a.Contract);
        Assert.NotNull(b.Contract);
        Assert.Equal(a.Contract, b.Contract);
        Assert.Equal(a.Contract!.GetHashCode(), b.Contract!.GetHashCode());
    }

    [Fact]
    public void Parsing_twice_gives_equal_models_and_diagnostics()
    {
        var text = TestFiles.ContractText(TestFiles.Banyan);
        Assert.Equal(ContractReader.Parse(text, "a"), ContractReader.Parse(text, "a"));
        var broken = File.ReadAllText(Path.Combine(TestFiles.BrokenDirectory, "filter-field-missing.yaml"));
        Assert.Equal(ContractReader.Parse(broken, "b").Diagnostics, ContractReader.Parse(broken, "b").Diagnostics);
    }

    [Theory]
    [InlineData("description: The severity level of an event.", "description: The severity level of an event!")]
    [InlineData("      - value: 5\n", "      - value: 4\n")]
    [InlineData("    default: 50\n", "    default: 51\n")]
    [InlineData("  basic:\n    kind: basic\n", "  basic:\n    kind: bearer\n")]
    public void A_change_of_meaning_breaks_equality(string from, string to)
    {
        var text = TestFiles.ContractText(TestFiles.Abr);
        Assert.Contains(from, text, StringComparison.Ordinal);
        var a = ContractReader.Parse(text, "a").Contract;
        var b = ContractReader.Parse(ReplaceFirst(text, from, to), "a").Contract;
        Assert.NotNull(a);
        Assert.NotNull(b);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Equatable_arrays_compare_by_content()
    {
        var a = new[] { "x", "y" }.ToEquatableArray();
        var b = new List<string> { "x", "y" }.ToEquatableArray();
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, new[] { "y", "x" }.ToEquatableArray());
        Assert.Equal(default(EquatableArray<string>), EquatableArray<string>.Empty);
        Assert.Empty(default(EquatableArray<string>));
    }

    /// <summary>Re-emits the YAML with YamlDotNet, in other styles; block scalars stay literal unless quoting is asked for.</summary>
    private static string Restyle(string text, bool reverseKeys, MappingStyle? mappingStyle, ScalarStyle? scalarStyle)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var root = stream.Documents[0].RootNode;
        Visit(root);
        var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        return writer.ToString();

        void Visit(YamlNode node)
        {
            switch (node)
            {
                case YamlMappingNode mapping:
                    if (mappingStyle is { } ms)
                    {
                        mapping.Style = ms;
                    }

                    var entries = mapping.Children.ToList();
                    if (reverseKeys)
                    {
                        entries.Reverse();
                        mapping.Children.Clear();
                        foreach (var entry in entries)
                        {
                            mapping.Children.Add(entry);
                        }
                    }

                    foreach (var entry in entries)
                    {
                        Visit(entry.Key);
                        Visit(entry.Value);
                    }

                    break;
                case YamlSequenceNode sequence:
                    if (mappingStyle is { } ss)
                    {
                        sequence.Style = ss == MappingStyle.Flow ? SequenceStyle.Flow : SequenceStyle.Block;
                    }

                    foreach (var item in sequence.Children)
                    {
                        Visit(item);
                    }

                    break;
                case YamlScalarNode scalar:
                    if (scalarStyle is { } style && scalar.Value is { Length: > 0 } && scalar.Value != "null" && scalar.Value != "~")
                    {
                        // A multi-line body stays a block scalar when block style is asked for; otherwise it is quoted.
                        scalar.Style = style == ScalarStyle.Any && scalar.Value.Contains('\n') ? ScalarStyle.Literal : style;
                    }

                    break;
            }
        }
    }

    private static string AddCommentsAndBlankLines(string text)
    {
        // Before every top-level key and every list item of the endpoints: a blank line and a comment.
        // Trailing spaces after plain values, and a comment after each flow mapping that ends a line.
        var builder = new StringBuilder();
        var inBlock = false;
        var blockIndent = 0;
        foreach (var line in text.Split('\n'))
        {
            var indent = line.Length - line.TrimStart(' ').Length;
            if (inBlock && line.Trim().Length > 0 && indent < blockIndent)
            {
                inBlock = false;
            }

            if (!inBlock)
            {
                if (Regex.IsMatch(line, "^[a-z]+:") || Regex.IsMatch(line, "^  - name: "))
                {
                    builder.Append("\n#   a comment that means nothing\n");
                }

                if (Regex.IsMatch(line, @"^\s*[A-Za-z_]+: \{[^#'""]*\}$"))
                {
                    builder.Append(line).Append("   # trailing comment\n");
                    continue;
                }

                if (line.TrimEnd().EndsWith(": |", StringComparison.Ordinal) || line.TrimEnd().EndsWith(": >-", StringComparison.Ordinal))
                {
                    inBlock = true;
                    blockIndent = indent + 1;
                }
            }

            builder.Append(line).Append('\n');
        }

        return builder.ToString();
    }

    private static string ReplaceFirst(string text, string from, string to)
    {
        var index = text.IndexOf(from, StringComparison.Ordinal);
        return text.Substring(0, index) + to + text.Substring(index + from.Length);
    }
}
