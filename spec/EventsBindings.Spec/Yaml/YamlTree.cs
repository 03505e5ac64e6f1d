// One file of about 470 lines on purpose: the located YAML tree: node types and the one builder over YamlDotNet's event stream that records each node's line and column.
using EventsBindings.Spec.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace EventsBindings.Spec.Yaml;

/// <summary>A node of a parsed YAML document, with where it stands in the text.</summary>
internal abstract class YNode
{
    protected YNode(Mark start, Mark end)
    {
        Start = start;
        End = end;
    }

    public Mark Start { get; }

    public Mark End { get; internal set; }

    /// <summary>Nodes this one stands for once aliases are expanded; bounded by <see cref="YamlTree"/>.</summary>
    public long ExpandedSize { get; internal set; } = 1;

    public abstract string KindName { get; }
}

internal sealed class YScalar : YNode
{
    public YScalar(Mark start, Mark end, string value, ScalarStyle style)
        : base(start, end)
    {
        Value = value;
        Style = style;
    }

    public string Value { get; }

    public ScalarStyle Style { get; }

    /// <summary>A plain scalar spelled as YAML's null (<c>~</c>, <c>null</c> or nothing).</summary>
    public bool IsNull => Style == ScalarStyle.Plain && (Value.Length == 0 || Value == "~" || Value == "null" || Value == "Null" || Value == "NULL");

    public override string KindName => "a scalar";
}

internal sealed class YSequence : YNode
{
    public YSequence(Mark start, Mark end, bool isFlow)
        : base(start, end)
    {
        IsFlow = isFlow;
    }

    public List<YNode> Items { get; } = new();

    /// <summary>Written with brackets (<c>[a, b]</c>) rather than dashes.</summary>
    public bool IsFlow { get; }

    public override string KindName => "a sequence";
}

internal sealed class YMapping : YNode
{
    private HashSet<string>? _keys;

    public YMapping(Mark start, Mark end, bool isFlow)
        : base(start, end)
    {
        IsFlow = isFlow;
    }

    public List<KeyValuePair<YScalar, YNode>> Entries { get; } = new();

    /// <summary>Written with braces (<c>{a: 1}</c>) rather than indentation.</summary>
    public bool IsFlow { get; }

    public override string KindName => "a mapping";

    /// <summary>Records a key; false when the mapping already has it.</summary>
    public bool AddKey(string key)
    {
        if (_keys is null)
        {
            // Most mappings are small: a linear scan is cheaper than a set until they grow.
            foreach (var entry in Entries)
            {
                if (string.Equals(entry.Key.Value, key, StringComparison.Ordinal))
                {
                    return false;
                }
            }

            if (Entries.Count < 8)
            {
                return true;
            }

            _keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in Entries)
            {
                _keys.Add(entry.Key.Value);
            }
        }

        return _keys.Add(key);
    }

    /// <summary>The value of <paramref name="key"/>, or null.</summary>
    public YNode? Find(string key)
    {
        foreach (var entry in Entries)
        {
            if (string.Equals(entry.Key.Value, key, StringComparison.Ordinal))
            {
                return entry.Value;
            }
        }

        return null;
    }
}

/// <summary>Bounds that keep hostile input from exhausting time or memory.</summary>
internal sealed class YamlLimits
{
    /// <summary>Limits for contract files.</summary>
    public static readonly YamlLimits Contract = new(maxDepth: 64, maxExpandedNodes: 200_000, maxLength: 8 * 1024 * 1024, maxScalarLength: 1024 * 1024, allowAliases: true);

    /// <summary>Limits for JSON payloads (pages of events can be large; JSON has no aliases).</summary>
    public static readonly YamlLimits Json = new(maxDepth: 64, maxExpandedNodes: 50_000_000, maxLength: 512 * 1024 * 1024, maxScalarLength: 16 * 1024 * 1024, allowAliases: false);

    public YamlLimits(int maxDepth, long maxExpandedNodes, int maxLength, int maxScalarLength, bool allowAliases)
    {
        MaxDepth = maxDepth;
        MaxExpandedNodes = maxExpandedNodes;
        MaxLength = maxLength;
        MaxScalarLength = maxScalarLength;
        AllowAliases = allowAliases;
    }

    public int MaxDepth { get; }

    public long MaxExpandedNodes { get; }

    public int MaxLength { get; }

    public int MaxScalarLength { get; }

    public bool AllowAliases { get; }
}

/// <summary>
/// Builds a node tree from YamlDotNet's event parser without recursion, so that hostile input
/// (deep nesting, alias bombs, huge scalars, control characters, syntax errors) becomes
/// diagnostics instead of a stack overflow, a hang or an exception.
/// </summary>
internal static class YamlTree
{
    public const int MaxDepth = 64;

    public static YNode? Parse(string text, string file, List<SpecDiagnostic> diagnostics) => Parse(text, file, diagnostics, YamlLimits.Contract);

    public static YNode? Parse(string text, string file, List<SpecDiagnostic> diagnostics, YamlLimits limits)
    {
        if (text.Length > limits.MaxLength)
        {
            diagnostics.Add(Make(DiagnosticIds.TooComplex, $"The document is larger than {limits.MaxLength / (1024 * 1024)} MB.", file, Mark.Empty, Mark.Empty));
            return null;
        }

        if (FindInvalidCharacter(text) is { } bad)
        {
            diagnostics.Add(Make(DiagnosticIds.YamlSyntax, bad.Message, file, bad.Mark, bad.Mark));
            return null;
        }

        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, YNode>(StringComparer.Ordinal);
        var stack = new Stack<(YNode Node, YScalar? PendingKey, string? Anchor)>();
        YNode? root = null;
        var documents = 0;
        var last = Mark.Empty;
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                last = current.End;
                switch (current)
                {
                    case DocumentStart:
                        documents++;
                        if (documents > 1)
                        {
                            diagnostics.Add(Make(DiagnosticIds.YamlSyntax, "A contract holds one YAML document; this is a second one.", file, current.Start, current.End));
                            return root;
                        }

                        break;
                    case Scalar scalar:
                        {
                            if (scalar.Value.Length > limits.MaxScalarLength)
                            {
                                diagnostics.Add(Make(DiagnosticIds.TooComplex, $"A scalar is longer than {limits.MaxScalarLength} characters.", file, scalar.Start, scalar.Start));
                                return null;
                            }

                            if (!limits.AllowAliases && !scalar.Anchor.IsEmpty)
                            {
                                diagnostics.Add(Make(DiagnosticIds.YamlSyntax, "Anchors are not JSON.", file, scalar.Start, scalar.End));
                                return null;
                            }

                            var node = new YScalar(scalar.Start, scalar.End, scalar.Value, scalar.Style);
                            if (!Attach(node, scalar.Anchor.IsEmpty ? null : scalar.Anchor.Value))
                            {
                                return null;
                            }

                            break;
                        }

                    case AnchorAlias alias:
                        {
                            if (!limits.AllowAliases)
                            {
                                diagnostics.Add(Make(DiagnosticIds.YamlSyntax, "Aliases are not JSON.", file, alias.Start, alias.End));
                                return null;
                            }

                            if (!anchors.TryGetValue(alias.Value.Value, out var target))
                            {
                                diagnostics.Add(Make(DiagnosticIds.YamlSyntax, $"The alias '*{alias.Value.Value}' names no anchor defined before it.", file, alias.Start, alias.End));
                                return null;
                            }

                            if (!Attach(target, null, alias))
                            {
                                return null;
                            }

                            break;
                        }

                    case MappingStart ms:
                        if (stack.Count >= limits.MaxDepth)
                        {
                            diagnostics.Add(Make(DiagnosticIds.TooComplex, $"The document nests deeper than {limits.MaxDepth} levels.", file, ms.Start, ms.End));
                            return null;
                        }

                        if (!limits.AllowAliases && !ms.Anchor.IsEmpty)
                        {
                            diagnostics.Add(Make(DiagnosticIds.YamlSyntax, "Anchors are not JSON.", file, ms.Start, ms.End));
                            return null;
                        }

                        stack.Push((new YMapping(ms.Start, ms.End, ms.Style == MappingStyle.Flow), null, ms.Anchor.IsEmpty ? null : ms.Anchor.Value));
                        break;
                    case SequenceStart ss:
                        if (stack.Count >= limits.MaxDepth)
                        {
                            diagnostics.Add(Make(DiagnosticIds.TooComplex, $"The document nests deeper than {limits.MaxDepth} levels.", file, ss.Start, ss.End));
                            return null;
                        }

                        if (!limits.AllowAliases && !ss.Anchor.IsEmpty)
                        {
                            diagnostics.Add(Make(DiagnosticIds.YamlSyntax, "Anchors are not JSON.", file, ss.Start, ss.End));
                            return null;
                        }

                        stack.Push((new YSequence(ss.Start, ss.End, ss.Style == SequenceStyle.Flow), null, ss.Anchor.IsEmpty ? null : ss.Anchor.Value));
                        break;
                    case MappingEnd:
                    case SequenceEnd:
                        {
                            var (node, pendingKey, anchor) = stack.Pop();
                            node.End = current.End;
                            if (pendingKey is not null)
                            {
                                diagnostics.Add(Make(DiagnosticIds.YamlSyntax, $"The key '{pendingKey.Value}' has no value.", file, pendingKey.Start, pendingKey.End));
                            }

                            if (!Attach(node, anchor))
                            {
                                return null;
                            }

                            break;
                        }
                }
            }
        }
        catch (YamlException ex)
        {
            var message = Clean(ex.Message);
            var start = ex.Start;
            if (message.IndexOf("tab", StringComparison.OrdinalIgnoreCase) >= 0 && FindTabIndentation(text, start) is { } tab)
            {
                // YamlDotNet locates a tab in the indentation at the start of the enclosing mapping.
                start = tab;
            }

            diagnostics.Add(Make(DiagnosticIds.YamlSyntax, message, file, start, start.Index >= ex.End.Index ? start : ex.End));
            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or OverflowException or IndexOutOfRangeException or NullReferenceException)
        {
            // YamlDotNet throws these for a few malformed inputs (an unclosed '[' before a new key, for
            // one) without a position: report where the last good token ended.
            diagnostics.Add(Make(DiagnosticIds.YamlSyntax, $"The YAML cannot be read past this point (an unclosed '[', '{{' or quote?): {Clean(ex.Message)}", file, last, last));
            return null;
        }

        return root;

        bool Attach(YNode node, string? anchor, ParsingEvent? at = null)
        {
            if (anchor is not null)
            {
                anchors[anchor] = node;
            }

            if (stack.Count == 0)
            {
                root ??= node;
                return true;
            }

            var (parent, pendingKey, parentAnchor) = stack.Pop();
            parent.ExpandedSize += node.ExpandedSize;
            if (parent.ExpandedSize > limits.MaxExpandedNodes)
            {
                diagnostics.Add(Make(DiagnosticIds.TooComplex, $"The document expands to more than {limits.MaxExpandedNodes} nodes (aliases included).", file, at?.Start ?? node.Start, at?.End ?? node.End));
                return false;
            }

            if (parent is YSequence sequence)
            {
                sequence.Items.Add(node);
            }
            else if (parent is YMapping mapping)
            {
                if (pendingKey is null)
                {
                    if (node is YScalar key)
                    {
                        pendingKey = key;
                    }
                    else
                    {
                        diagnostics.Add(Make(DiagnosticIds.WrongType, $"A key must be a scalar, not {node.KindName}.", file, node.Start, node.End));
                        pendingKey = new YScalar(node.Start, node.End, "?", ScalarStyle.Plain);
                    }
                }
                else
                {
                    if (mapping.AddKey(pendingKey.Value))
                    {
                        mapping.Entries.Add(new KeyValuePair<YScalar, YNode>(pendingKey, node));
                    }
                    else
                    {
                        // YAML forbids duplicate keys; the first one wins so that readers see one value.
                        diagnostics.Add(Make(DiagnosticIds.DuplicateKey, $"The key '{Shorten(pendingKey.Value)}' appears twice in this mapping.", file, pendingKey.Start, pendingKey.End));
                    }

                    pendingKey = null;
                }
            }

            stack.Push((parent, pendingKey, parentAnchor));
            return true;
        }
    }

    internal static SpecDiagnostic Make(string id, string message, string file, Mark start, Mark end, SpecSeverity severity = SpecSeverity.Error)
    {
        var startLine = Math.Max(1, (int)Math.Min(start.Line, int.MaxValue));
        var startColumn = Math.Max(1, (int)Math.Min(start.Column, int.MaxValue));
        var endLine = Math.Max(startLine, (int)Math.Min(end.Line, int.MaxValue));
        var endColumn = endLine == startLine ? Math.Max(startColumn, (int)Math.Min(end.Column, int.MaxValue)) : Math.Max(1, (int)Math.Min(end.Column, int.MaxValue));
        var startOffset = (int)Math.Max(0, Math.Min(start.Index, int.MaxValue));
        var endOffset = (int)Math.Max(startOffset, Math.Min(end.Index, int.MaxValue));
        return new SpecDiagnostic(id, severity, message, new SourceSpan(file, startLine, startColumn, endLine, endColumn, startOffset, endOffset));
    }

    /// <summary>
    /// YAML allows only printable characters (tab, line breaks, U+0020–U+007E, U+0085, U+00A0–U+D7FF,
    /// U+E000–U+FFFD and well-formed surrogate pairs); YamlDotNet lets some others through.
    /// </summary>
    private static (string Message, Mark Mark)? FindInvalidCharacter(string text)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c >= 0x20 && c <= 0x7E)
            {
                continue;
            }

            if (c == '\n')
            {
                line++;
                lineStart = i + 1;
                continue;
            }

            if (c is '\t' or '\r' or '\u0085' || (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            var what = char.IsSurrogate(c) ? "an unpaired surrogate" : "a control character";
            var message = $"The text holds {what} (U+{(int)c:X4}), which YAML does not allow.";
            return (message, new Mark(i, line, i - lineStart + 1));
        }

        return null;
    }

    /// <summary>The first tab in the leading whitespace of a line at or after <paramref name="from"/>.</summary>
    private static Mark? FindTabIndentation(string text, Mark from)
    {
        var index = (int)Math.Min(Math.Max(0, from.Index), text.Length);
        index = index == 0 ? 0 : text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
        var line = (int)Math.Max(1, from.Line);
        while (index < text.Length)
        {
            var i = index;
            while (i < text.Length && (text[i] == ' ' || text[i] == '\t'))
            {
                if (text[i] == '\t')
                {
                    return new Mark(i, line, i - index + 1);
                }

                i++;
            }

            var next = text.IndexOf('\n', index);
            if (next < 0)
            {
                break;
            }

            index = next + 1;
            line++;
        }

        return null;
    }

    private static string Shorten(string value) => value.Length > 60 ? value.Substring(0, 57) + "..." : value;

    // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (…): "; the location is reported separately.
    private static string Clean(string message)
    {
        var marker = "): ";
        var index = message.LastIndexOf(marker, StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && index > 0 ? message.Substring(index + marker.Length) : message;
    }
}
