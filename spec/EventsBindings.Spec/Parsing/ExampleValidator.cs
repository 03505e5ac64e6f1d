using System.Globalization;
using EventsBindings.Spec.Diagnostics;
using EventsBindings.Spec.Model;
using EventsBindings.Spec.Yaml;
using YamlDotNet.Core;

namespace EventsBindings.Spec.Parsing;

/// <summary>
/// Checks a documented example (JSON text held in a YAML scalar) against its model. JSON is read
/// with the same bounded YAML reader (JSON is a subset of YAML 1.2), so the spec model needs no
/// JSON library inside the compiler; quoting tells strings from numbers. Problems are reported at
/// their line and column inside the contract file.
/// </summary>
internal sealed class ExampleValidator
{
    private readonly ParseContext _context;
    private readonly YScalar _body;
    private readonly List<ModelSpec> _models;
    private readonly List<EnumSpec> _enums;
    private readonly int _indent;

    public ExampleValidator(ParseContext context, YScalar body, List<ModelSpec> models, List<EnumSpec> enums)
    {
        _context = context;
        _body = body;
        _models = models;
        _enums = enums;
        _indent = body.Style is ScalarStyle.Literal or ScalarStyle.Folded ? BlockIndent() : 0;
    }

    public void Validate(TypeRef? expected, string? envelope)
    {
        var diagnostics = new List<SpecDiagnostic>();
        var root = YamlTree.Parse(_body.Value, _context.File, diagnostics);
        if (diagnostics.Count > 0 || root is null)
        {
            var first = diagnostics.Count > 0 ? diagnostics[0] : null;
            var message = first?.Message ?? "The example body is empty.";
            Report(DiagnosticIds.ExampleJson, $"The example is not valid JSON: {message}", first is null ? _body.Start : new Mark(first.Location.StartOffset, first.Location.StartLine, first.Location.StartColumn), null);
            return;
        }

        if (!LooksLikeJson(root))
        {
            Report(DiagnosticIds.ExampleJson, "The example is YAML, not JSON: strings must be double-quoted and objects written with braces.", root.Start, root);
            return;
        }

        if (expected is null)
        {
            return;
        }

        var payload = root;
        if (envelope is not null)
        {
            if (root is not YMapping wrapper)
            {
                Report(DiagnosticIds.ExampleType, $"The response is wrapped in {{\"{envelope}\": …}}, but the example is {Describe(root)}.", root.Start, root);
                return;
            }

            var inner = wrapper.Entries.FirstOrDefault(e => e.Key.Value == envelope).Value;
            if (inner is null)
            {
                Report(DiagnosticIds.ExampleMissingField, $"The example lacks the envelope property '{envelope}'.", root.Start, root);
                return;
            }

            payload = inner;
        }

        Check(payload, expected, nullable: false, "$" + (envelope is null ? string.Empty : "." + envelope));
    }

    private void Check(YNode node, TypeRef type, bool nullable, string path)
    {
        if (node is YScalar { IsNull: true } && IsPlainNull(node))
        {
            if (!nullable)
            {
                Report(DiagnosticIds.ExampleType, $"{path} is null, but {type} is not nullable.", node.Start, node);
            }

            return;
        }

        if (type.IsArray)
        {
            if (node is not YSequence sequence)
            {
                Report(DiagnosticIds.ExampleType, $"{path} should be an array of {type.Element}, not {Describe(node)}.", node.Start, node);
                return;
            }

            for (var i = 0; i < sequence.Items.Count; i++)
            {
                Check(sequence.Items[i], type.Element, nullable: false, $"{path}[{i}]");
            }

            return;
        }

        switch (type.Kind)
        {
            case TypeKind.Json:
                return;
            case TypeKind.Model:
                CheckObject(node, type.Name!, path);
                return;
            case TypeKind.Enum:
                var e = _enums.Find(x => x.Name == type.Name);
                if (e is not null)
                {
                    CheckScalar(node, e.UnderlyingType, TimestampEncoding.None, path, type.Name!);
                }

                return;
            default:
                CheckScalar(node, type.Kind, type.Encoding, path, type.ToString());
                return;
        }
    }

    private void CheckObject(YNode node, string modelName, string path)
    {
        var model = _models.Find(m => m.Name == modelName);
        if (model is null)
        {
            return;
        }

        if (node is not YMapping mapping)
        {
            Report(DiagnosticIds.ExampleType, $"{path} should be an object ({modelName}), not {Describe(node)}.", node.Start, node);
            return;
        }

        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in mapping.Entries)
        {
            present.Add(entry.Key.Value);
            var field = model.FindField(entry.Key.Value);
            if (field is null)
            {
                Report(DiagnosticIds.ExampleUnknownField, $"{path}.{entry.Key.Value} is not a field of the model '{modelName}'{Suggest.DidYouMean(entry.Key.Value, model.Fields.Select(f => f.JsonName))}.", entry.Key.Start, entry.Key, SpecSeverity.Warning);
                continue;
            }

            Check(entry.Value, field.Type, field.Nullable, $"{path}.{entry.Key.Value}");
        }

        foreach (var field in model.Fields)
        {
            if (!field.Optional && !present.Contains(field.JsonName))
            {
                Report(DiagnosticIds.ExampleMissingField, $"{path} lacks the required field '{field.JsonName}' of the model '{modelName}'.", mapping.Start, mapping);
            }
        }
    }

    private void CheckScalar(YNode node, TypeKind kind, TimestampEncoding encoding, string path, string typeName)
    {
        if (node is not YScalar scalar)
        {
            Report(DiagnosticIds.ExampleType, $"{path} should be {typeName}, not {Describe(node)}.", node.Start, node);
            return;
        }

        var quoted = scalar.Style is ScalarStyle.DoubleQuoted or ScalarStyle.SingleQuoted;
        var ok = kind switch
        {
            TypeKind.Int32 => !quoted && int.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            TypeKind.Int64 => !quoted && long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            TypeKind.Number => !quoted && double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            TypeKind.Boolean => !quoted && scalar.Value is "true" or "false",
            TypeKind.String => quoted,
            TypeKind.Date => quoted && DateTime.TryParseExact(scalar.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            TypeKind.Timestamp => encoding switch
            {
                TimestampEncoding.EpochMillis or TimestampEncoding.EpochNanos => !quoted && long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
                TimestampEncoding.Iso => quoted && DateTimeOffset.TryParse(scalar.Value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
                _ => quoted && DateTime.TryParse(scalar.Value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dt) && !HasOffset(scalar.Value),
            },
            _ => true,
        };
        if (!ok)
        {
            var shown = quoted ? $"\"{MapReader.Truncate(scalar.Value)}\"" : MapReader.Truncate(scalar.Value);
            Report(DiagnosticIds.ExampleType, $"{path} should be {typeName}{(encoding == TimestampEncoding.None ? string.Empty : " (" + encoding + ")")}, not {shown}.", scalar.Start, scalar);
        }
    }

    private static bool HasOffset(string value)
    {
        var t = value.IndexOf('T');
        return t > 0 && (value.EndsWith("Z", StringComparison.Ordinal) || value.IndexOf('+', t) > 0 || value.IndexOf('-', t) > 0);
    }

    private static bool IsPlainNull(YNode node) => node is YScalar { Style: ScalarStyle.Plain, Value: "null" };

    private static bool LooksLikeJson(YNode root) => root is YMapping or YSequence
        ? root.Start.Index < root.End.Index && IsFlow(root)
        : root is YScalar s && (s.Style != ScalarStyle.Plain || !string.IsNullOrEmpty(s.Value));

    private static bool IsFlow(YNode node) => node switch
    {
        YMapping m => m.Entries.All(e => e.Key.Style == ScalarStyle.DoubleQuoted && IsFlow(e.Value)),
        YSequence s => s.Items.All(IsFlow),
        YScalar s => s.Style is ScalarStyle.DoubleQuoted || (s.Style == ScalarStyle.Plain && s.Value.Length > 0),
        _ => false,
    };

    private static string Describe(YNode node) => node switch
    {
        YMapping => "an object",
        YSequence => "an array",
        YScalar { Style: ScalarStyle.DoubleQuoted } s => $"the string \"{MapReader.Truncate(s.Value)}\"",
        YScalar s => MapReader.Truncate(s.Value),
        _ => "a value",
    };

    private void Report(string id, string message, Mark innerStart, YNode? node, SpecSeverity severity = SpecSeverity.Error)
    {
        // Map a position inside the example's text to the contract file.
        long line;
        long column;
        if (_body.Style is ScalarStyle.Literal or ScalarStyle.Folded)
        {
            line = _body.Start.Line + innerStart.Line;
            column = _indent + innerStart.Column;
        }
        else
        {
            line = _body.Start.Line + innerStart.Line - 1;
            column = innerStart.Line <= 1 ? _body.Start.Column + innerStart.Column : innerStart.Column;
        }

        var start = new Mark(_body.Start.Index, line, column);
        var end = node is null ? start : new Mark(_body.Start.Index, line, column + (int)Math.Max(1, Math.Min(node.End.Index - node.Start.Index, 200)));
        _context.Add(YamlTree.Make(id, message, _context.File, start, end, severity));
    }

    private int BlockIndent()
    {
        // The indentation of the first non-blank line after the block indicator.
        var text = _context.Text;
        var index = (int)Math.Min(_body.Start.Index, text.Length);
        var lineEnd = text.IndexOf('\n', index);
        while (lineEnd >= 0 && lineEnd + 1 < text.Length)
        {
            var start = lineEnd + 1;
            var count = 0;
            while (start + count < text.Length && text[start + count] == ' ')
            {
                count++;
            }

            if (start + count < text.Length && text[start + count] != '\n' && text[start + count] != '\r')
            {
                return count;
            }

            lineEnd = text.IndexOf('\n', start);
        }

        return 0;
    }
}
