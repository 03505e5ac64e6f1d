using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;

namespace EventsBindings.Reliability.Tests.Support;

/// <summary>The structural mutations applied to a contract's YAML text.</summary>
public enum MutationKind
{
    DeleteKey,
    DuplicateKey,
    RetypeValue,
    BreakIndentation,
    HugeValue,
    Unicode,
    AnchorAndAlias,
    DeepNesting,
    AliasBomb,
    Truncate,
    SwapLines,
    InvalidName,
    LineEndings,
    Degenerate,
}

/// <summary>One mutation: its kind and the random numbers that pick where and what.</summary>
public sealed record Mutation(MutationKind Kind, int A, int B, int C)
{
    /// <inheritdoc />
    public override string ToString() => $"{Kind}({A},{B},{C})";
}

/// <summary>A mutation plan: which contract, and the mutations applied in order.</summary>
public sealed record MutationPlan(string Contract, IReadOnlyList<Mutation> Mutations)
{
    /// <inheritdoc />
    public override string ToString() => Contract + ": " + string.Join(" ; ", Mutations);
}

/// <summary>
/// FsCheck generators of mutation plans, and the (deterministic) application of a plan to a contract's text.
/// The plan holds only small numbers, so a case is reproduced from the seed and its index.
/// </summary>
public static partial class ContractMutator
{
    private static readonly string[] RetypedValues =
    {
        "{ x: 1 }", "[1, 2]", "[]", "{}", "42", "-1", "0", "true", "null", "~", "\"\"", "''", "3.5e308", "-9223372036854775809",
        "0x1F", "!!binary aGVsbG8=", "[", "{ a: [1, {b: 2}] }", "'unterminated", "\"unterminated", "!custom tag", "|", ">-", "&", "*", "? x",
        "- 1", "x: y: z", "@reserved", "`backtick", "%percent", ".nan", ".inf", "2025-01-01", "1_000", "+12", "0o17",
    };

    private static readonly string[] UnicodeBits =
    {
        "é", "日本語", "🎉", "\u202E", "\u200B", "\uFEFF", "\0", "\u0007", "\uD800", "\uDC00", "\u0085", "\u2028", "\u2029", "\r", "A\u0301",
        "\uFFFF", "\uFFFE", "\u001B[31m", "\\", "\"", "'", "*/", "<!--", "]]>", "</summary>", "{0}", "\\u0000", "\u00A0", "𝔘𝔫𝔦", "ß", "İ", "\t",
    };

    private static readonly string[] InvalidNames =
    {
        "1Abc", "class", "A B", "A-B", "Ä", "_", "@x", "A\u200B", "", "A.B", "a/b", "global::X", "🎉", "System", "X<T>", "null", "A;B",
        new string('N', 600),
    };

    [GeneratedRegex(@"^(?<indent>\s*)(?<dash>- )?(?<key>[A-Za-z_$][\w.$-]*)\s*:(?<rest>(\s.*)?)$")]
    private static partial Regex KeyLine();

    /// <summary>Generates a plan for one of <paramref name="contracts"/>.</summary>
    public static Gen<MutationPlan> Plans(IReadOnlyList<string> contracts)
    {
        var kind = Gen.Frequency(
            (8, Gen.Constant(MutationKind.DeleteKey)),
            (6, Gen.Constant(MutationKind.DuplicateKey)),
            (8, Gen.Constant(MutationKind.RetypeValue)),
            (5, Gen.Constant(MutationKind.BreakIndentation)),
            (3, Gen.Constant(MutationKind.HugeValue)),
            (6, Gen.Constant(MutationKind.Unicode)),
            (4, Gen.Constant(MutationKind.AnchorAndAlias)),
            (3, Gen.Constant(MutationKind.DeepNesting)),
            (1, Gen.Constant(MutationKind.AliasBomb)),
            (2, Gen.Constant(MutationKind.Truncate)),
            (3, Gen.Constant(MutationKind.SwapLines)),
            (4, Gen.Constant(MutationKind.InvalidName)),
            (2, Gen.Constant(MutationKind.LineEndings)),
            (1, Gen.Constant(MutationKind.Degenerate)));
        var number = Gen.Choose(0, int.MaxValue - 1);
        var mutation = from k in kind
                       from a in number
                       from b in number
                       from c in number
                       select new Mutation(k, a, b, c);
        return from contract in Gen.Elements(contracts.ToArray())
               from count in Gen.Frequency((6, Gen.Constant(1)), (3, Gen.Constant(2)), (1, Gen.Choose(3, 5)))
               from mutations in mutation.ArrayOf(count)
               select new MutationPlan(contract, mutations);
    }

    /// <summary>The plan of case <paramref name="index"/> under <paramref name="seed"/>.</summary>
    public static MutationPlan Plan(IReadOnlyList<string> contracts, int seed, int index) =>
        Plans(contracts).Sample(10, new Rnd(unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)index)), 1)[0];

    /// <summary>Applies a plan's mutations to a text.</summary>
    public static string Apply(string text, IEnumerable<Mutation> mutations)
    {
        foreach (var m in mutations)
        {
            text = Apply(text, m);
        }

        return text;
    }

    private static string Apply(string text, Mutation m)
    {
        var lines = text.Split('\n').ToList();
        var keys = Enumerable.Range(0, lines.Count).Where(i => KeyLine().IsMatch(lines[i])).ToList();
        if (keys.Count == 0 && m.Kind is not (MutationKind.Truncate or MutationKind.Degenerate or MutationKind.LineEndings or MutationKind.AliasBomb))
        {
            return text + "\n" + Pick(RetypedValues, m.A);
        }

        int Key(int r) => keys[r % keys.Count];
        switch (m.Kind)
        {
            case MutationKind.DeleteKey:
            {
                var i = Key(m.A);
                var end = BlockEnd(lines, i);
                lines.RemoveRange(i, end - i);
                break;
            }

            case MutationKind.DuplicateKey:
            {
                var i = Key(m.A);
                var end = BlockEnd(lines, i);
                var block = lines.GetRange(i, end - i);
                if (m.B % 3 == 0)
                {
                    // Only the key line, changed value: a plain duplicate key.
                    block = new List<string> { lines[i] };
                }

                lines.InsertRange(end, block);
                break;
            }

            case MutationKind.RetypeValue:
            {
                var i = Key(m.A);
                var match = KeyLine().Match(lines[i]);
                var end = BlockEnd(lines, i);
                var replacement = Pick(RetypedValues, m.B);
                lines[i] = match.Groups["indent"].Value + match.Groups["dash"].Value + match.Groups["key"].Value + ": " + replacement;
                if (end > i + 1 && m.C % 2 == 0)
                {
                    lines.RemoveRange(i + 1, end - i - 1);
                }

                break;
            }

            case MutationKind.BreakIndentation:
            {
                var i = m.A % lines.Count;
                var line = lines[i];
                lines[i] = (m.B % 5) switch
                {
                    0 => " " + line,
                    1 => line.StartsWith(' ') ? line[1..] : "   " + line,
                    2 => "\t" + line.TrimStart(' '),
                    3 => new string(' ', 1 + (m.C % 7)) + line.TrimStart(),
                    _ => line.TrimStart(),
                };
                break;
            }

            case MutationKind.HugeValue:
            {
                var i = Key(m.A);
                var match = KeyLine().Match(lines[i]);
                var size = (m.B % 4) switch { 0 => 1_000, 1 => 70_000, 2 => 300_000, _ => 1_100_000 };
                var value = (m.C % 4) switch
                {
                    0 => "\"" + new string('x', size) + "\"",
                    1 => new string('9', Math.Min(size, 5_000)),
                    2 => "[" + string.Join(", ", Enumerable.Repeat("1", Math.Min(size, 100_000))) + "]",
                    _ => new string('y', size),
                };
                if (m.C % 5 == 4)
                {
                    // A huge key instead.
                    lines.Insert(i, match.Groups["indent"].Value + new string('k', Math.Min(size, 100_000)) + ": 1");
                }
                else
                {
                    lines[i] = match.Groups["indent"].Value + match.Groups["dash"].Value + match.Groups["key"].Value + ": " + value;
                }

                break;
            }

            case MutationKind.Unicode:
            {
                var i = m.A % lines.Count;
                var line = lines[i];
                var at = line.Length == 0 ? 0 : m.B % (line.Length + 1);
                lines[i] = line.Insert(at, Pick(UnicodeBits, m.C));
                break;
            }

            case MutationKind.AnchorAndAlias:
            {
                var source = Key(m.A);
                var target = Key(m.B);
                var match = KeyLine().Match(lines[source]);
                var rest = match.Groups["rest"].Value.Trim();
                lines[source] = match.Groups["indent"].Value + match.Groups["dash"].Value + match.Groups["key"].Value + ": &anchor" + (rest.Length > 0 ? " " + rest : string.Empty);
                var t = KeyLine().Match(lines[target]);
                var alias = (m.C % 5) switch
                {
                    0 => "*anchor",
                    1 => "*missing",
                    2 => "&self [*self]",
                    3 => "[*anchor, *anchor, *anchor]",
                    _ => "*anchor",
                };
                if (m.C % 5 == 4)
                {
                    lines.Insert(target + 1, t.Groups["indent"].Value + "  <<: *anchor");
                }
                else
                {
                    lines[target] = t.Groups["indent"].Value + t.Groups["dash"].Value + t.Groups["key"].Value + ": " + alias;
                }

                break;
            }

            case MutationKind.DeepNesting:
            {
                var i = Key(m.A);
                var match = KeyLine().Match(lines[i]);
                var depth = (m.B % 5) switch { 0 => 10, 1 => 63, 2 => 65, 3 => 300, _ => 5_000 };
                var value = (m.C % 3) switch
                {
                    0 => new string('[', depth) + new string(']', depth),
                    1 => string.Concat(Enumerable.Repeat("{a: ", depth)) + "1" + new string('}', depth),
                    _ => new string('[', depth),
                };
                if (m.C % 4 == 3)
                {
                    var block = new StringBuilder();
                    for (var d = 0; d < Math.Min(depth, 400); d++)
                    {
                        block.Append('\n').Append(match.Groups["indent"].Value).Append(' ', 2 * (d + 1)).Append("k").Append(d.ToString(CultureInfo.InvariantCulture)).Append(':');
                    }

                    lines[i] = match.Groups["indent"].Value + match.Groups["dash"].Value + match.Groups["key"].Value + ":" + block + " 1";
                }
                else
                {
                    lines[i] = match.Groups["indent"].Value + match.Groups["dash"].Value + match.Groups["key"].Value + ": " + value;
                }

                break;
            }

            case MutationKind.AliasBomb:
            {
                var levels = 6 + (m.A % 4);
                var bomb = new StringBuilder();
                bomb.Append("lol0: &l0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
                for (var l = 1; l < levels; l++)
                {
                    var prev = "*l" + (l - 1).ToString(CultureInfo.InvariantCulture);
                    bomb.Append("lol").Append(l).Append(": &l").Append(l).Append(" [").Append(string.Join(", ", Enumerable.Repeat(prev, 9))).Append("]\n");
                }

                var last = "*l" + (levels - 1).ToString(CultureInfo.InvariantCulture);
                if (m.B % 2 == 0)
                {
                    lines.Insert(0, bomb.ToString().TrimEnd('\n'));
                }
                else
                {
                    lines.Add(bomb.ToString().TrimEnd('\n'));
                }

                if (keys.Count > 0 && m.C % 2 == 0)
                {
                    // Also use it where a value is expected.
                    var i = Key(m.C) + (m.B % 2 == 0 ? 1 : 0);
                    var match = KeyLine().Match(lines[i]);
                    if (match.Success)
                    {
                        lines[i] = match.Groups["indent"].Value + match.Groups["dash"].Value + match.Groups["key"].Value + ": " + last;
                    }
                }

                break;
            }

            case MutationKind.Truncate:
                return text[..(m.A % (text.Length + 1))];

            case MutationKind.SwapLines:
            {
                var i = m.A % lines.Count;
                var j = m.B % lines.Count;
                (lines[i], lines[j]) = (lines[j], lines[i]);
                break;
            }

            case MutationKind.InvalidName:
            {
                var named = keys.Where(i => KeyLine().Match(lines[i]).Groups["key"].Value is "name" or "csharp" or "namespace" or "model" or "type").ToList();
                var i = named.Count > 0 ? named[m.A % named.Count] : Key(m.A);
                var match = KeyLine().Match(lines[i]);
                var name = Pick(InvalidNames, m.B);
                if (m.C % 3 == 0 && named.Count > 1)
                {
                    // A duplicate name: copy another name's value.
                    name = KeyLine().Match(lines[named[m.C % named.Count]]).Groups["rest"].Value.Trim();
                }

                lines[i] = match.Groups["indent"].Value + match.Groups["dash"].Value + match.Groups["key"].Value + ": " + (name.Length == 0 ? "\"\"" : name);
                break;
            }

            case MutationKind.LineEndings:
                return (m.A % 4) switch
                {
                    0 => text.Replace("\n", "\r\n", StringComparison.Ordinal),
                    1 => text.Replace("\n", "\r", StringComparison.Ordinal),
                    2 => "\uFEFF" + text,
                    _ => string.Concat(lines.Select((l, i) => l + (i % 2 == 0 ? "\r\n" : "\n"))),
                };

            case MutationKind.Degenerate:
                return (m.A % 8) switch
                {
                    0 => string.Empty,
                    1 => "   \n\t\n",
                    2 => "---\n...\n",
                    3 => "%YAML 1.1\n---\n" + text,
                    4 => text + "\n---\n" + text,
                    5 => "!!map\n" + text,
                    6 => "[" + text,
                    _ => "\0" + text,
                };
        }

        return string.Join('\n', lines);
    }

    private static string Pick(string[] values, int r) => values[r % values.Length];

    /// <summary>The line after the block that starts at <paramref name="i"/> (lines more indented than it).</summary>
    private static int BlockEnd(List<string> lines, int i)
    {
        var indent = Indent(lines[i]);
        if (lines[i].TrimStart().StartsWith("- ", StringComparison.Ordinal))
        {
            indent += 1;
        }

        var end = i + 1;
        while (end < lines.Count && (lines[end].Trim().Length == 0 || Indent(lines[end]) > indent))
        {
            end++;
        }

        return end;
    }

    private static int Indent(string line)
    {
        var n = 0;
        while (n < line.Length && line[n] == ' ')
        {
            n++;
        }

        return n;
    }
}
