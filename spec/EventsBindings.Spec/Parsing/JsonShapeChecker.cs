// One file of about 510 lines on purpose: the one checker of a JSON value against a contract type, used by documented examples and run-time payloads; its cases (scalars, timestamps, enums, models, arrays) recurse into each other.
using System.Globalization;
using EventsBindings.Spec.Diagnostics;
using EventsBindings.Spec.Model;
using EventsBindings.Spec.Yaml;
using YamlDotNet.Core;

namespace EventsBindings.Spec.Parsing;

/// <summary>
/// The one implementation that checks a JSON value (read into YAML nodes: JSON is a subset of
/// YAML 1.2, so the spec model needs no JSON library inside the compiler) against a type of a
/// contract. Documented examples (<see cref="ExampleValidator"/>) and run-time payloads
/// (<see cref="JsonConformance"/>) both use it; they differ only in how they locate problems.
/// </summary>
internal sealed class JsonShapeChecker
{
    /// <summary>Receives one problem: id, severity, JSON path, message and the offending node.</summary>
    public delegate void Reporter(string id, SpecSeverity severity, string path, string message, YNode node);

    private readonly Func<string, ModelSpec?> _findModel;
    private readonly Func<string, EnumSpec?> _findEnum;
    private readonly Reporter _report;
    private readonly List<string> _path = new();

    public JsonShapeChecker(Func<string, ModelSpec?> findModel, Func<string, EnumSpec?> findEnum, Reporter report)
    {
        _findModel = findModel;
        _findEnum = findEnum;
        _report = report;
    }

    /// <summary>
    /// Checks a parsed document: that it is JSON (not other YAML), that the envelope is there, and
    /// that the payload conforms to <paramref name="expected"/> (null: only JSON-ness is checked).
    /// </summary>
    public void CheckDocument(YNode root, TypeRef? expected, string? envelope, string? text = null)
    {
        _path.Clear();
        _path.Add("$");
        if (text is not null && FindNonJsonText(text) is { } lexical)
        {
            _report(DiagnosticIds.ExampleJson, SpecSeverity.Error, "$", $"The text is not JSON: {lexical.Reason}.", new YScalar(lexical.At, lexical.At, string.Empty, ScalarStyle.Plain));
            return;
        }

        if (FindNonJson(root) is { } notJson)
        {
            _report(DiagnosticIds.ExampleJson, SpecSeverity.Error, "$", $"The text is not JSON: {notJson.Reason}.", notJson.Node);
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
                _report(DiagnosticIds.ExampleType, SpecSeverity.Error, "$", $"The response is wrapped in {{\"{envelope}\": …}}, but the JSON is {Describe(root)}.", root);
                return;
            }

            var inner = wrapper.Find(envelope);
            if (inner is null)
            {
                _report(DiagnosticIds.ExampleMissingField, SpecSeverity.Error, "$", $"The JSON lacks the envelope property '{envelope}'.", root);
                return;
            }

            payload = inner;
            _path.Add("." + envelope);
        }

        Check(payload, expected, nullable: false);
    }

    private string Path => string.Concat(_path);

    private void Report(string id, string message, YNode node, SpecSeverity severity = SpecSeverity.Error)
    {
        var path = Path;
        _report(id, severity, path, path + " " + message, node);
    }

    private void Check(YNode node, TypeRef type, bool nullable)
    {
        if (node is YScalar { Style: ScalarStyle.Plain, Value: "null" })
        {
            if (!nullable)
            {
                Report(DiagnosticIds.ExampleType, $"is null, but {type} is not nullable.", node);
            }

            return;
        }

        if (type.IsArray)
        {
            if (node is not YSequence sequence)
            {
                Report(DiagnosticIds.ExampleType, $"should be an array of {type.Element}, not {Describe(node)}.", node);
                return;
            }

            var element = type.Element;
            for (var i = 0; i < sequence.Items.Count; i++)
            {
                _path.Add("[" + i.ToString(CultureInfo.InvariantCulture) + "]");
                Check(sequence.Items[i], element, nullable: false);
                _path.RemoveAt(_path.Count - 1);
            }

            return;
        }

        switch (type.Kind)
        {
            case TypeKind.Json:
                return;
            case TypeKind.Model:
                CheckObject(node, type.Name!);
                return;
            case TypeKind.Enum:
                if (_findEnum(type.Name!) is { } e)
                {
                    CheckScalar(node, e.UnderlyingType, TimestampEncoding.None, type.Name!);
                }

                return;
            default:
                CheckScalar(node, type.Kind, type.Encoding, type.ToString());
                return;
        }
    }

    private void CheckObject(YNode node, string modelName)
    {
        var model = _findModel(modelName);
        if (model is null)
        {
            return;
        }

        if (node is not YMapping mapping)
        {
            Report(DiagnosticIds.ExampleType, $"should be an object ({modelName}), not {Describe(node)}.", node);
            return;
        }

        foreach (var entry in mapping.Entries)
        {
            var field = model.FindField(entry.Key.Value);
            _path.Add("." + entry.Key.Value);
            if (field is null)
            {
                Report(DiagnosticIds.ExampleUnknownField, $"is not a field of the model '{modelName}'{Suggest.DidYouMean(entry.Key.Value, model.Fields.Select(f => f.JsonName))}.", entry.Key, SpecSeverity.Warning);
            }
            else
            {
                Check(entry.Value, field.Type, field.Nullable);
            }

            _path.RemoveAt(_path.Count - 1);
        }

        foreach (var field in model.Fields)
        {
            if (!field.Optional && mapping.Find(field.JsonName) is null)
            {
                Report(DiagnosticIds.ExampleMissingField, $"lacks the required field '{field.JsonName}' of the model '{modelName}'.", mapping);
            }
        }
    }

    private void CheckScalar(YNode node, TypeKind kind, TimestampEncoding encoding, string typeName)
    {
        if (node is not YScalar scalar)
        {
            Report(DiagnosticIds.ExampleType, $"should be {typeName}, not {Describe(node)}.", node);
            return;
        }

        if (!Fits(scalar.Value, scalar.Style != ScalarStyle.Plain, kind, encoding))
        {
            var shown = scalar.Style != ScalarStyle.Plain ? $"\"{MapReader.Truncate(scalar.Value)}\"" : MapReader.Truncate(scalar.Value);
            Report(DiagnosticIds.ExampleType, $"should be {typeName}{(encoding == TimestampEncoding.None ? string.Empty : " (" + encoding + ")")}, not {shown}.", scalar);
        }
    }

    /// <summary>True when a JSON scalar (a string when <paramref name="quoted"/>) is a value of the type.</summary>
    internal static bool Fits(string value, bool quoted, TypeKind kind, TimestampEncoding encoding) => kind switch
    {
        TypeKind.Int32 => !quoted && IsJsonInteger(value) && int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
        TypeKind.Int64 => !quoted && IsJsonInteger(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
        TypeKind.Number => !quoted && IsJsonNumber(value),
        TypeKind.Boolean => !quoted && value is "true" or "false",
        TypeKind.String => quoted,
        TypeKind.Date => quoted && IsDate(value),
        TypeKind.Timestamp => encoding switch
        {
            TimestampEncoding.EpochMillis or TimestampEncoding.EpochNanos => !quoted && IsJsonInteger(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            TimestampEncoding.Iso => quoted && IsIsoTimestamp(value, offset: true),
            _ => quoted && IsIsoTimestamp(value, offset: false),
        },
        _ => true,
    };

    /// <summary>Checks a value written in YAML (a mock value, a default): quoting does not matter there.</summary>
    internal static bool FitsText(string value, TypeKind kind, TimestampEncoding encoding) => kind switch
    {
        TypeKind.String or TypeKind.Json => true,
        TypeKind.Timestamp when encoding is TimestampEncoding.EpochMillis or TimestampEncoding.EpochNanos => Fits(value, false, kind, encoding),
        TypeKind.Date or TypeKind.Timestamp => Fits(value, true, kind, encoding),
        _ => Fits(value, false, kind, encoding),
    };

    internal static bool IsDate(string value) =>
        value.Length == 10 && DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    /// <summary><c>yyyy-MM-ddTHH:mm[:ss[.f…]]</c>, followed by <c>Z</c> or <c>±hh:mm</c> exactly when <paramref name="offset"/>.</summary>
    internal static bool IsIsoTimestamp(string value, bool offset)
    {
        if (value.Length < 16 || !IsDate(value.Substring(0, 10)) || (value[10] != 'T' && value[10] != ' '))
        {
            return false;
        }

        var i = 11;
        if (!TwoDigits(value, i, 23) || value[i + 2] != ':' || !TwoDigits(value, i + 3, 59))
        {
            return false;
        }

        i += 5;
        if (i < value.Length && value[i] == ':')
        {
            // 00-59: .NET (the generated readers, the generator's literals) has no leap second.
            if (!TwoDigits(value, i + 1, 59))
            {
                return false;
            }

            i += 3;
            if (i < value.Length && value[i] == '.')
            {
                var digits = 0;
                i++;
                while (i < value.Length && value[i] is >= '0' and <= '9')
                {
                    i++;
                    digits++;
                }

                if (digits is 0 or > 7)
                {
                    return false; // a tick is 10^-7 s: more digits are not representable
                }
            }
        }

        if (i == value.Length)
        {
            return !offset;
        }

        if (!offset)
        {
            return false;
        }

        if ((value[i] == 'Z' || value[i] == 'z') && i + 1 == value.Length)
        {
            return true;
        }

        if (value[i] is not ('+' or '-') || !TwoDigits(value, i + 1, 23))
        {
            return false;
        }

        i += 3;
        if (i < value.Length && value[i] == ':')
        {
            i++;
        }

        return i + 2 == value.Length && TwoDigits(value, i, 59);
    }

    private static bool TwoDigits(string value, int index, int max) =>
        index + 1 < value.Length && value[index] is >= '0' and <= '9' && value[index + 1] is >= '0' and <= '9'
        && ((value[index] - '0') * 10) + (value[index + 1] - '0') <= max;

    /// <summary>A JSON integer: <c>-?(0|[1-9][0-9]*)</c>.</summary>
    internal static bool IsJsonInteger(string value)
    {
        var i = value.Length > 0 && value[0] == '-' ? 1 : 0;
        if (i >= value.Length)
        {
            return false;
        }

        if (value[i] == '0')
        {
            return i + 1 == value.Length;
        }

        for (; i < value.Length; i++)
        {
            if (value[i] is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A JSON number: <c>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</c>.</summary>
    internal static bool IsJsonNumber(string value)
    {
        var i = 0;
        if (i < value.Length && value[i] == '-')
        {
            i++;
        }

        if (i >= value.Length)
        {
            return false;
        }

        if (value[i] == '0')
        {
            i++;
        }
        else if (!Digits(ref i))
        {
            return false;
        }

        if (i < value.Length && value[i] == '.')
        {
            i++;
            if (!Digits(ref i))
            {
                return false;
            }
        }

        if (i < value.Length && (value[i] == 'e' || value[i] == 'E'))
        {
            i++;
            if (i < value.Length && (value[i] == '+' || value[i] == '-'))
            {
                i++;
            }

            if (!Digits(ref i))
            {
                return false;
            }
        }

        return i == value.Length;

        bool Digits(ref int index)
        {
            var start = index;
            while (index < value.Length && value[index] is >= '0' and <= '9')
            {
                index++;
            }

            return index > start;
        }
    }

    /// <summary>
    /// What the YAML reader accepts but JSON does not and the node tree no longer shows: comments,
    /// trailing commas. Strings are skipped; the rest is left to <see cref="FindNonJson"/>.
    /// </summary>
    internal static (Mark At, string Reason)? FindNonJsonText(string text)
    {
        var inString = false;
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '\n':
                    line++;
                    lineStart = i + 1;
                    break;
                case '"':
                    inString = true;
                    break;
                case '#':
                    return (new Mark(i, line, i - lineStart + 1), "comments are not JSON");
                case ',':
                    var next = i + 1;
                    while (next < text.Length && text[next] is ' ' or '\t' or '\r' or '\n')
                    {
                        next++;
                    }

                    if (next < text.Length && text[next] is '}' or ']')
                    {
                        return (new Mark(i, line, i - lineStart + 1), "a comma may not come before '" + text[next] + "'");
                    }

                    break;
            }
        }

        return null;
    }

    /// <summary>The first node that JSON could not have written, with the reason; null when the tree is JSON.</summary>
    internal static (YNode Node, string Reason)? FindNonJson(YNode root)
    {
        var pending = new Stack<YNode>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            switch (node)
            {
                case YMapping mapping:
                    if (!mapping.IsFlow)
                    {
                        return (node, "objects are written with braces");
                    }

                    for (var i = mapping.Entries.Count - 1; i >= 0; i--)
                    {
                        var entry = mapping.Entries[i];
                        if (entry.Key.Style != ScalarStyle.DoubleQuoted)
                        {
                            return (entry.Key, "property names are double-quoted strings");
                        }

                        pending.Push(entry.Value);
                    }

                    break;
                case YSequence sequence:
                    if (!sequence.IsFlow)
                    {
                        return (node, "arrays are written with brackets");
                    }

                    for (var i = sequence.Items.Count - 1; i >= 0; i--)
                    {
                        pending.Push(sequence.Items[i]);
                    }

                    break;
                case YScalar scalar:
                    if (scalar.Style == ScalarStyle.DoubleQuoted)
                    {
                        break;
                    }

                    if (scalar.Style != ScalarStyle.Plain)
                    {
                        return (node, "strings are double-quoted");
                    }

                    if (scalar.Value is not ("null" or "true" or "false") && !IsJsonNumber(scalar.Value))
                    {
                        return (node, scalar.Value.Length == 0 ? "a value is missing" : $"'{MapReader.Truncate(scalar.Value)}' is neither a number, true, false, null nor a double-quoted string");
                    }

                    break;
            }
        }

        return null;
    }

    internal static string Describe(YNode node) => node switch
    {
        YMapping => "an object",
        YSequence => "an array",
        YScalar { Style: ScalarStyle.DoubleQuoted } s => $"the string \"{MapReader.Truncate(s.Value)}\"",
        YScalar s => MapReader.Truncate(s.Value),
        _ => "a value",
    };
}
