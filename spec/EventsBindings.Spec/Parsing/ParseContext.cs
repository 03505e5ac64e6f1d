using EventsBindings.Spec.Diagnostics;
using EventsBindings.Spec.Model;
using EventsBindings.Spec.Yaml;

namespace EventsBindings.Spec.Parsing;

/// <summary>Collects diagnostics for one contract file while it is read.</summary>
internal sealed class ParseContext
{
    private readonly HashSet<SpecDiagnostic> _seen = new();

    public ParseContext(string file, string text)
    {
        File = file;
        Text = text;
    }

    public string File { get; }

    public string Text { get; }

    public List<SpecDiagnostic> Diagnostics { get; } = new();

    private List<int>? _lineStarts;

    /// <summary>The 0-based character offset of a 1-based line and column of <see cref="Text"/> (clamped to the text).</summary>
    public long OffsetOf(long line, long column)
    {
        if (_lineStarts is null)
        {
            _lineStarts = new List<int> { 0 };
            for (var i = 0; i < Text.Length; i++)
            {
                if (Text[i] == '\n')
                {
                    _lineStarts.Add(i + 1);
                }
            }
        }

        var index = (int)Math.Max(0, Math.Min(line - 1, _lineStarts.Count - 1));
        return Math.Min(Text.Length, _lineStarts[index] + Math.Max(0, column - 1));
    }

    public bool HasErrors => Diagnostics.Exists(d => d.Severity == SpecSeverity.Error);

    public void Error(string id, string message, YNode node) => Add(YamlTree.Make(id, message, File, node.Start, node.End));

    public void Warning(string id, string message, YNode node) => Add(YamlTree.Make(id, message, File, node.Start, node.End, SpecSeverity.Warning));

    public void Add(SpecDiagnostic diagnostic)
    {
        // A shared parameter used by several endpoints would otherwise report one problem many times.
        if (_seen.Add(diagnostic))
        {
            Diagnostics.Add(diagnostic);
        }
    }

    public Provenance? ReadProvenance(YNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case YScalar scalar:
                return ParseProvenanceKind(scalar) is { } kind ? new Provenance(kind, null) : null;
            case YMapping mapping:
                {
                    var reader = new MapReader(this, mapping, "provenance", ContractKeys.Provenance);
                    var kindNode = reader.Scalar("kind", required: true);
                    var note = reader.String("note");
                    return kindNode is not null && ParseProvenanceKind(kindNode) is { } parsed ? new Provenance(parsed, note) : null;
                }

            default:
                Error(DiagnosticIds.WrongType, $"'provenance' must be a scalar (documented, observed, inferred) or a mapping, not {node.KindName}.", node);
                return null;
        }
    }

    private ProvenanceKind? ParseProvenanceKind(YScalar scalar)
    {
        switch (scalar.Value)
        {
            case "documented": return ProvenanceKind.Documented;
            case "observed": return ProvenanceKind.Observed;
            case "inferred": return ProvenanceKind.Inferred;
            default:
                Error(DiagnosticIds.InvalidValue, $"'{scalar.Value}' is not a provenance kind; expected documented, observed or inferred{Suggest.DidYouMean(scalar.Value, new[] { "documented", "observed", "inferred" })}.", scalar);
                return null;
        }
    }
}
