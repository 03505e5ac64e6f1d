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
    public YSequence(Mark start, Mark end)
        : base(start, end)
    {
    }

    public List<YNode> Items { get; } = new();

    public override string KindName => "a sequence";
}

internal sealed class YMapping : YNode
{
    public YMapping(Mark start, Mark end)
        : base(start, end)
    {
    }

    public List<KeyValuePair<YScalar, YNode>> Entries { get; } = new();

    public override string KindName => "a mapping";
}

/// <summary>
/// Builds a node tree from YamlDotNet's event parser without recursion, so that hostile input
/// (deep nesting, alias bombs, syntax errors) becomes diagnostics instead of a stack overflow,
/// a hang or an exception.
/// </summary>
internal static class YamlTree
{
    public const int MaxDepth = 64;
    public const long MaxExpandedNodes = 200_000;

    public static YNode? Parse(string text, string file, List<SpecDiagnostic> diagnostics)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, YNode>(StringComparer.Ordinal);
        var stack = new Stack<(YNode Node, YScalar? PendingKey, string? Anchor)>();
        YNode? root = null;
        var documents = 0;
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
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
                            var node = new YScalar(scalar.Start, scalar.End, scalar.Value, scalar.Style);
                            if (!Attach(node, scalar.Anchor.IsEmpty ? null : scalar.Anchor.Value))
                            {
                                return root;
                            }

                            break;
                        }

                    case AnchorAlias alias:
                        {
                            if (!anchors.TryGetValue(alias.Value.Value, out var target))
                            {
                                diagnostics.Add(Make(DiagnosticIds.YamlSyntax, $"The alias '*{alias.Value.Value}' names no anchor defined before it.", file, alias.Start, alias.End));
                                return null;
                            }

                            if (!Attach(target, null))
                            {
                                return root;
                            }

                            break;
                        }

                    case MappingStart ms:
                        if (stack.Count >= MaxDepth)
                        {
                            diagnostics.Add(Make(DiagnosticIds.TooComplex, $"The document nests deeper than {MaxDepth} levels.", file, ms.Start, ms.End));
                            return null;
                        }

                        stack.Push((new YMapping(ms.Start, ms.End), null, ms.Anchor.IsEmpty ? null : ms.Anchor.Value));
                        break;
                    case SequenceStart ss:
                        if (stack.Count >= MaxDepth)
                        {
                            diagnostics.Add(Make(DiagnosticIds.TooComplex, $"The document nests deeper than {MaxDepth} levels.", file, ss.Start, ss.End));
                            return null;
                        }

                        stack.Push((new YSequence(ss.Start, ss.End), null, ss.Anchor.IsEmpty ? null : ss.Anchor.Value));
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
                                return root;
                            }

                            break;
                        }
                }
            }
        }
        catch (YamlException ex)
        {
            diagnostics.Add(Make(DiagnosticIds.YamlSyntax, Clean(ex.Message), file, ex.Start, ex.End));
            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            // YamlDotNet throws these for a few malformed inputs; the position is unknown.
            diagnostics.Add(Make(DiagnosticIds.YamlSyntax, Clean(ex.Message), file, Mark.Empty, Mark.Empty));
            return null;
        }

        return root;

        bool Attach(YNode node, string? anchor)
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
            if (parent.ExpandedSize > MaxExpandedNodes)
            {
                diagnostics.Add(Make(DiagnosticIds.TooComplex, $"The document expands to more than {MaxExpandedNodes} nodes (aliases included).", file, node.Start, node.End));
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
                    mapping.Entries.Add(new KeyValuePair<YScalar, YNode>(pendingKey, node));
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

    // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (…): "; the location is reported separately.
    private static string Clean(string message)
    {
        var marker = "): ";
        var index = message.LastIndexOf(marker, StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && index > 0 ? message.Substring(index + marker.Length) : message;
    }
}
