using System.Globalization;
using EventsBindings.Spec.Diagnostics;
using EventsBindings.Spec.Yaml;

namespace EventsBindings.Spec.Parsing;

/// <summary>
/// Reads one YAML mapping of the contract: reports unknown and duplicate keys once, and gives typed
/// access to values. Every wrong value becomes a diagnostic and reads as absent; nothing throws.
/// </summary>
internal sealed class MapReader
{
    private readonly ParseContext _context;
    private readonly Dictionary<string, YNode> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, YScalar> _keys = new(StringComparer.Ordinal);

    public MapReader(ParseContext context, YMapping mapping, string what, string[] allowedKeys)
    {
        _context = context;
        Mapping = mapping;
        What = what;
        foreach (var entry in mapping.Entries)
        {
            var key = entry.Key.Value;
            if (Array.IndexOf(allowedKeys, key) < 0)
            {
                context.Error(DiagnosticIds.UnknownKey, $"Unknown key '{key}' in {what}{Suggest.DidYouMean(key, allowedKeys)}.", entry.Key);
                continue;
            }

            if (_values.ContainsKey(key))
            {
                context.Error(DiagnosticIds.DuplicateKey, $"The key '{key}' appears twice in {what}.", entry.Key);
                continue;
            }

            _values[key] = entry.Value;
            _keys[key] = entry.Key;
        }
    }

    public YMapping Mapping { get; }

    public string What { get; }

    public bool Has(string key) => _values.ContainsKey(key);

    public YNode? Node(string key) => _values.TryGetValue(key, out var node) ? node : null;

    public YScalar? KeyNode(string key) => _keys.TryGetValue(key, out var node) ? node : null;

    public YNode? Get(string key, bool required)
    {
        if (_values.TryGetValue(key, out var node))
        {
            return node;
        }

        if (required)
        {
            _context.Error(DiagnosticIds.MissingKey, $"{Capitalize(What)} needs the key '{key}'.", Mapping);
        }

        return null;
    }

    public YScalar? Scalar(string key, bool required = false)
    {
        var node = Get(key, required);
        switch (node)
        {
            case null:
                return null;
            case YScalar scalar when scalar.IsNull:
                if (required)
                {
                    _context.Error(DiagnosticIds.MissingKey, $"'{key}' in {What} needs a value.", scalar);
                }

                return null;
            case YScalar scalar:
                return scalar;
            default:
                _context.Error(DiagnosticIds.WrongType, $"'{key}' in {What} must be a scalar, not {node.KindName}.", node);
                return null;
        }
    }

    public string? String(string key, bool required = false) => Scalar(key, required)?.Value;

    public bool Bool(string key, bool defaultValue = false)
    {
        var scalar = Scalar(key);
        if (scalar is null)
        {
            return defaultValue;
        }

        switch (scalar.Value)
        {
            case "true":
            case "True":
            case "TRUE":
                return true;
            case "false":
            case "False":
            case "FALSE":
                return false;
            default:
                _context.Error(DiagnosticIds.WrongType, $"'{key}' in {What} must be true or false, not '{scalar.Value}'.", scalar);
                return defaultValue;
        }
    }

    public long? Long(string key, bool required = false)
    {
        var scalar = Scalar(key, required);
        if (scalar is null)
        {
            return null;
        }

        if (long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        _context.Error(DiagnosticIds.WrongType, $"'{key}' in {What} must be an integer, not '{Truncate(scalar.Value)}'.", scalar);
        return null;
    }

    public double? Double(string key)
    {
        var scalar = Scalar(key);
        if (scalar is null)
        {
            return null;
        }

        if (double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && !double.IsNaN(value) && !double.IsInfinity(value))
        {
            return value;
        }

        _context.Error(DiagnosticIds.WrongType, $"'{key}' in {What} must be a number, not '{Truncate(scalar.Value)}'.", scalar);
        return null;
    }

    public T? Choice<T>(string key, IReadOnlyDictionary<string, T> allowed, bool required = false)
        where T : struct
    {
        var scalar = Scalar(key, required);
        if (scalar is null)
        {
            return null;
        }

        if (allowed.TryGetValue(scalar.Value, out var value))
        {
            return value;
        }

        _context.Error(
            DiagnosticIds.InvalidValue,
            $"'{Truncate(scalar.Value)}' is not allowed for '{key}' in {What}; expected one of {string.Join(", ", allowed.Keys)}{Suggest.DidYouMean(scalar.Value, allowed.Keys)}.",
            scalar);
        return null;
    }

    public YMapping? Map(string key, bool required = false)
    {
        var node = Get(key, required);
        switch (node)
        {
            case null:
                return null;
            case YMapping mapping:
                return mapping;
            case YScalar scalar when scalar.IsNull && !required:
                return null;
            default:
                _context.Error(DiagnosticIds.WrongType, $"'{key}' in {What} must be a mapping, not {node.KindName}.", node);
                return null;
        }
    }

    public YSequence? Sequence(string key, bool required = false)
    {
        var node = Get(key, required);
        switch (node)
        {
            case null:
                return null;
            case YSequence sequence:
                return sequence;
            case YScalar scalar when scalar.IsNull && !required:
                return null;
            default:
                _context.Error(DiagnosticIds.WrongType, $"'{key}' in {What} must be a sequence, not {node.KindName}.", node);
                return null;
        }
    }

    /// <summary>A sequence of scalars; each item comes with its node for later diagnostics.</summary>
    public List<YScalar> ScalarList(string key, bool required = false)
    {
        var result = new List<YScalar>();
        var sequence = Sequence(key, required);
        if (sequence is null)
        {
            return result;
        }

        foreach (var item in sequence.Items)
        {
            if (item is YScalar scalar && !scalar.IsNull)
            {
                result.Add(scalar);
            }
            else
            {
                _context.Error(DiagnosticIds.WrongType, $"The items of '{key}' in {What} must be scalars, not {item.KindName}.", item);
            }
        }

        return result;
    }

    internal static string Truncate(string value) => value.Length > 60 ? value.Substring(0, 57) + "..." : value;

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);
}
