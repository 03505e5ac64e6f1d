using EventsBindings.Spec.Diagnostics;
using EventsBindings.Spec.Model;
using EventsBindings.Spec.Yaml;

namespace EventsBindings.Spec.Parsing;

// SCIM filter and keyword-search parameters (semantics kinds scim and keywords) and the top-level rateLimit.
internal sealed partial class ContractParser
{
    private static readonly Dictionary<string, RateLimitResetKind> ResetKinds = new(StringComparer.Ordinal)
    {
        ["epochSeconds"] = RateLimitResetKind.EpochSeconds,
        ["deltaSeconds"] = RateLimitResetKind.DeltaSeconds,
    };

    /// <summary>
    /// Reads <c>attributes</c> (scim), <c>fields</c> (keywords) and <c>errorCode</c> (scim) of a parameter's
    /// semantics; each only where its kind uses it. A scim or keywords parameter carries text.
    /// Returns the nodes of the paths, checked against the item model per endpoint.
    /// </summary>
    private IReadOnlyList<YScalar> ReadFilterSemantics(MapReader s, SemanticsKind kind, TypeRef? type, YScalar? field, string what, YMapping semanticsNode, ref SemanticsSpec semantics)
    {
        var attributes = s.ScalarList("attributes");
        var fields = s.ScalarList("fields");
        var errorCode = s.Scalar("errorCode");
        if (kind != SemanticsKind.Scim && s.KeyNode("attributes") is { } strayAttributes)
        {
            _context.Error(DiagnosticIds.InvalidValue, "'attributes' applies only to 'kind: scim' (the attribute paths a filter may name).", strayAttributes);
        }

        if (kind != SemanticsKind.Keywords && s.KeyNode("fields") is { } strayFields)
        {
            _context.Error(DiagnosticIds.InvalidValue, "'fields' applies only to 'kind: keywords' (the fields a keyword search looks into).", strayFields);
        }

        if (kind != SemanticsKind.Scim && errorCode is not null)
        {
            _context.Error(DiagnosticIds.InvalidValue, "'errorCode' applies only to 'kind: scim' (the code of a rejected filter).", errorCode);
        }

        if (kind is not (SemanticsKind.Scim or SemanticsKind.Keywords))
        {
            return Array.Empty<YScalar>();
        }

        var name = kind == SemanticsKind.Scim ? "scim" : "keywords";
        if (field is not null)
        {
            _context.Error(DiagnosticIds.InvalidValue, $"A {name} parameter names its paths in '{(kind == SemanticsKind.Scim ? "attributes" : "fields")}', not 'field'.", field);
        }

        if (type is not null && !IsUnresolved(type) && (type.IsArray || type.Kind != TypeKind.String))
        {
            _context.Error(DiagnosticIds.SemanticsMismatch, $"'{name}' needs a string parameter (it carries an expression); {what} is {type}.", semanticsNode);
        }

        semantics = semantics with
        {
            Attributes = attributes.Select(a => a.Value).ToEquatableArray(),
            Fields = fields.Select(f => f.Value).ToEquatableArray(),
            ErrorCode = errorCode?.Value,
        };
        return kind == SemanticsKind.Scim ? attributes : fields;
    }

    /// <summary>Each declared attribute (scim) or field (keywords) resolves to a path of the item model that it can use.</summary>
    private void CheckFilterPaths(ParameterEntry parameter, ModelSpec itemModel, string what)
    {
        var spec = parameter.Spec;
        var keywords = spec.Semantics.Kind == SemanticsKind.Keywords;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in parameter.PathNodes)
        {
            if (!seen.Add(node.Value))
            {
                _context.Error(DiagnosticIds.DuplicateName, $"'{MapReader.Truncate(node.Value)}' appears twice among the paths of '{spec.WireName}'.", node);
                continue;
            }

            var resolved = FilterPaths.Resolve(n => _models.Find(m => m.Name == n), n => _enums.Find(e => e.Name == n), itemModel, node.Value);
            if (resolved is null)
            {
                var all = FilterPaths.All(n => _models.Find(m => m.Name == n), n => _enums.Find(e => e.Name == n), itemModel).Select(p => p.Path);
                _context.Error(DiagnosticIds.UnknownField, $"The parameter '{spec.WireName}' names '{MapReader.Truncate(node.Value)}', which the model '{itemModel.Name}' lacks ({what}){Suggest.DidYouMean(node.Value, all)}.", node);
                continue;
            }

            if (IsUnresolved(resolved.Type))
            {
                continue;
            }

            if (keywords && !FilterPaths.IsText(resolved.Scalar, n => _enums.Find(e => e.Name == n)))
            {
                _context.Error(DiagnosticIds.SemanticsMismatch, $"A keyword search looks into text; '{node.Value}' is {resolved.Type} ('{spec.WireName}').", node);
            }
            else if (!keywords && !FilterPaths.IsFilterable(resolved.Type))
            {
                _context.Error(DiagnosticIds.SemanticsMismatch, $"A filter compares scalars; '{node.Value}' is {resolved.Type} (name its fields instead, e.g. '{node.Value}.<field>') ('{spec.WireName}').", node);
            }
        }
    }

    /// <summary>Reads the top-level <c>rateLimit</c>: the header names and what the reset header carries.</summary>
    private RateLimitSpec? ReadRateLimit(YMapping node)
    {
        var reader = new MapReader(_context, node, "the rate limit", ContractKeys.RateLimit);
        var limit = ReadHeaderName(reader, "limit", required: false);
        var remaining = ReadHeaderName(reader, "remaining", required: false);
        var reset = ReadHeaderName(reader, "reset", required: true);
        var kind = reader.Choice("resetKind", ResetKinds, required: true);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in new[] { "limit", "remaining", "reset" })
        {
            if (reader.Scalar(key) is { } header && !names.Add(header.Value))
            {
                _context.Error(DiagnosticIds.DuplicateName, $"The header '{MapReader.Truncate(header.Value)}' is named twice in the rate limit.", header);
            }
        }

        return reset is null || kind is null ? null : new RateLimitSpec(limit, remaining, reset, kind.Value, _context.ReadProvenance(reader.Node("provenance")));
    }

    private string? ReadHeaderName(MapReader reader, string key, bool required)
    {
        var scalar = reader.Scalar(key, required);
        if (scalar is null)
        {
            return null;
        }

        foreach (var ch in scalar.Value)
        {
            // RFC 9110 token characters.
            if (!(char.IsLetterOrDigit(ch) && ch < 128) && "!#$%&'*+-.^_`|~".IndexOf(ch) < 0)
            {
                _context.Error(DiagnosticIds.InvalidValue, $"'{MapReader.Truncate(scalar.Value)}' is not an HTTP header name ('{key}' in the rate limit).", scalar);
                return null;
            }
        }

        return scalar.Value;
    }
}
