using EventsBindings.Spec.Diagnostics;
using EventsBindings.Spec.Model;
using EventsBindings.Spec.Yaml;
using YamlDotNet.Core;

namespace EventsBindings.Spec.Parsing;

/// <summary>
/// Checks a documented example (JSON text held in a YAML scalar) against its model with
/// <see cref="JsonShapeChecker"/>, and reports problems at their line and column inside the
/// contract file.
/// </summary>
internal sealed class ExampleValidator
{
    private readonly ParseContext _context;
    private readonly YScalar _body;
    private readonly Func<string, ModelSpec?> _findModel;
    private readonly Func<string, EnumSpec?> _findEnum;
    private readonly int _indent;

    public ExampleValidator(ParseContext context, YScalar body, Func<string, ModelSpec?> findModel, Func<string, EnumSpec?> findEnum)
    {
        _context = context;
        _body = body;
        _findModel = findModel;
        _findEnum = findEnum;
        _indent = body.Style is ScalarStyle.Literal or ScalarStyle.Folded ? BlockIndent() : 0;
    }

    public void Validate(TypeRef? expected, string? envelope)
    {
        var diagnostics = new List<SpecDiagnostic>();
        var root = YamlTree.Parse(_body.Value, _context.File, diagnostics, YamlLimits.Json);
        if (diagnostics.Count > 0 || root is null)
        {
            var first = diagnostics.Count > 0 ? diagnostics[0] : null;
            var message = first?.Message ?? "the body is empty.";
            var at = first is null ? new Mark(0, 1, 1) : new Mark(first.Location.StartOffset, first.Location.StartLine, first.Location.StartColumn);
            Report(DiagnosticIds.ExampleJson, $"The example is not valid JSON: {message}", at, 1, SpecSeverity.Error);
            return;
        }

        var checker = new JsonShapeChecker(_findModel, _findEnum, (id, severity, _, message, node) =>
            Report(id, "Example: " + message, node.Start, node.End.Index - node.Start.Index, severity));
        checker.CheckDocument(root, expected, envelope, _body.Value);
    }

    private void Report(string id, string message, Mark innerStart, long length, SpecSeverity severity)
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
            column = innerStart.Line <= 1 ? _body.Start.Column + innerStart.Column - (_body.Style == ScalarStyle.Plain ? 1 : 0) : innerStart.Column;
        }

        var width = Math.Max(1, Math.Min(length, 200));
        var offset = _context.OffsetOf(line, column);
        var start = new Mark(offset, line, column);
        var end = new Mark(Math.Min(offset + width, _context.Text.Length), line, column + width);
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
