using System.Globalization;
using EventsBindings.MockServer.Data;
using EventsBindings.Spec.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace EventsBindings.MockServer.Engine;

/// <summary>
/// A request input that the contract rejects: names the parameter and the engine's rule (for the journal and the
/// <c>X-Mock-Rule</c> header, never the vendor's body), and the vendor's code where the contract declares one for
/// this failure (a filter's <c>semantics.errorCode</c>).
/// </summary>
internal sealed record BadInput(string Parameter, string Rule, string Message)
{
    /// <summary>The contract's code for this failure; null: the error's documented code.</summary>
    public string? Code { get; init; }
}

/// <summary>A parameter's value after validation.</summary>
internal sealed record BoundValue(ParameterSpec Spec, string Raw, IReadOnlyList<Cell> Values, bool FromDefault)
{
    public Cell Single => Values.Count > 0 ? Values[0] : Cell.Missing;
}

/// <summary>The outcome of binding a request to an endpoint's parameters.</summary>
internal sealed class BindResult
{
    /// <summary>Effective values by wire name (given or defaulted, not ignored).</summary>
    public Dictionary<string, BoundValue> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>Query keys the endpoint does not declare.</summary>
    public List<string> Unknown { get; } = new();

    /// <summary>Given parameters that are unused because of <c>ignoredWhen</c>.</summary>
    public List<string> Ignored { get; } = new();

    /// <summary>The first problem, if any.</summary>
    public BadInput? Error { get; set; }
}

/// <summary>
/// Reads and validates every parameter of an endpoint from the path, the query and the headers
/// as the contract places them; applies defaults and <c>ignoredWhen</c>.
/// </summary>
internal static class ParameterBinder
{
    public static BindResult Bind(ContractSpec contract, EndpointSpec endpoint, HttpRequest request, IReadOnlyDictionary<string, string> routeValues, DateTimeOffset now)
    {
        var result = new BindResult();
        var given = new Dictionary<string, BoundValue>(StringComparer.Ordinal);
        foreach (var key in request.Query.Keys)
        {
            var p = endpoint.FindParameter(key);
            if (p is null || p.In is ParameterLocation.Header or ParameterLocation.Path)
            {
                result.Unknown.Add(key);
            }
        }

        foreach (var p in endpoint.Parameters)
        {
            var raw = Read(p, request, routeValues, out var error);
            if (error is not null)
            {
                result.Error = error;
                return result;
            }

            if (raw is null)
            {
                if (p.Required || p.In == ParameterLocation.Path)
                {
                    result.Error = new BadInput(p.WireName, "required", $"Parameter '{p.WireName}' is required.");
                    return result;
                }

                continue;
            }

            var parsed = Parse(contract, p, raw, out error);
            if (error is not null)
            {
                result.Error = error;
                return result;
            }

            given[p.WireName] = new BoundValue(p, raw, parsed!, false);
        }

        foreach (var p in endpoint.Parameters)
        {
            var ignored = p.IgnoredWhen.Any(given.ContainsKey);
            if (given.TryGetValue(p.WireName, out var value))
            {
                if (ignored)
                {
                    result.Ignored.Add(p.WireName);
                }
                else
                {
                    result.Values[p.WireName] = value;
                }
            }
            else if (!ignored && p.Default is { } d)
            {
                var parsed = Parse(contract, p, d, out var error);
                if (error is null)
                {
                    result.Values[p.WireName] = new BoundValue(p, d, parsed!, true);
                }
            }
        }

        ApplyRelativeDefaults(contract, endpoint, given, result, now);
        return result;
    }

    /// <summary>
    /// Relative defaults (<c>default: { relativeTo, offset }</c>) of the parameters the request leaves out: the
    /// value of <c>relativeTo</c> (given or itself defaulted; now when it is absent) plus the offset, in
    /// dependency order, bound as if the request had sent it.
    /// </summary>
    private static void ApplyRelativeDefaults(ContractSpec contract, EndpointSpec endpoint, Dictionary<string, BoundValue> given, BindResult result, DateTimeOffset now)
    {
        var pending = endpoint.Parameters
            .Where(p => p.RelativeDefault is not null && !given.ContainsKey(p.WireName) && !p.IgnoredWhen.Any(given.ContainsKey))
            .ToList();
        while (pending.Count > 0)
        {
            var ready = pending.FirstOrDefault(p => p.RelativeDefault!.RelativeTo is not { } other || !pending.Exists(q => q.WireName == other));
            if (ready is null)
            {
                return; // a cycle: the spec rejects these
            }

            pending.Remove(ready);
            var relative = ready.RelativeDefault!;
            DateTimeOffset? anchor = relative.RelativeTo is { } name && result.Values.TryGetValue(name, out var value) && value.Values.Count > 0 && value.Single.Kind == CellKind.Number
                ? ValueCodec.FromNanos(value.Single.Number)
                : null;
            DateTimeOffset instant;
            try
            {
                instant = relative.Resolve(anchor, now);
            }
            catch (ArgumentOutOfRangeException)
            {
                continue; // beyond the calendar: no default
            }

            if (!ValueCodec.InNanosRange(instant))
            {
                continue;
            }

            var raw = WireText(ready.Type.Element, instant);
            var parsed = Parse(contract, ready, raw, out var error);
            if (error is null)
            {
                result.Values[ready.WireName] = new BoundValue(ready, raw, parsed!, true);
            }
        }
    }

    /// <summary>An instant as the wire text of a timestamp or date parameter (a date is the instant's UTC day).</summary>
    private static string WireText(TypeRef type, DateTimeOffset instant) => type.Kind switch
    {
        TypeKind.Date => instant.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => type.Encoding switch
        {
            TimestampEncoding.EpochMillis => instant.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            TimestampEncoding.EpochNanos => ValueCodec.ToNanos(instant).ToString(CultureInfo.InvariantCulture),
            _ => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        },
    };

    private static string? Read(ParameterSpec p, HttpRequest request, IReadOnlyDictionary<string, string> routeValues, out BadInput? error)
    {
        error = null;
        switch (p.In)
        {
            case ParameterLocation.Path:
                return routeValues.TryGetValue(p.WireName, out var v) ? v : null;
            case ParameterLocation.Header:
                return One(p, request.Headers[p.WireName], "header", out error);
            case ParameterLocation.QueryOrHeader:
                var q = One(p, request.Query[p.WireName], "query", out error);
                if (error is not null)
                {
                    return null;
                }

                var h = One(p, request.Headers[p.WireName], "header", out error);
                if (error is not null)
                {
                    return null;
                }

                if (q is not null && h is not null && q != h)
                {
                    error = new BadInput(p.WireName, "conflict", $"Parameter '{p.WireName}' is given as a query parameter ('{Clip(q)}') and as a header ('{Clip(h)}') with different values.");
                    return null;
                }

                return q ?? h;
            default:
                return One(p, request.Query[p.WireName], "query", out error);
        }
    }

    private static string? One(ParameterSpec p, StringValues values, string where, out BadInput? error)
    {
        error = null;
        if (values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1)
        {
            error = new BadInput(p.WireName, "single", $"Parameter '{p.WireName}' is given more than once in the {where}; give it once" + (p.Separator is { } s ? $" and join several values with '{s}'." : "."));
            return null;
        }

        return values[0];
    }

    /// <summary>Parses and validates a parameter's wire text.</summary>
    public static IReadOnlyList<Cell>? Parse(ContractSpec contract, ParameterSpec p, string raw, out BadInput? error)
    {
        error = null;
        var parts = p.Type.IsArray && p.Separator is { Length: > 0 } sep ? raw.Split(sep) : new[] { raw };
        var cells = new List<Cell>(parts.Length);
        foreach (var part in parts)
        {
            var cell = ParseOne(contract, p, part, out error);
            if (error is not null)
            {
                return null;
            }

            cells.Add(cell);
        }

        return cells;
    }

    private static Cell ParseOne(ContractSpec contract, ParameterSpec p, string text, out BadInput? error)
    {
        error = null;
        var type = p.Type.Element;
        var e = type.Kind == TypeKind.Enum ? contract.FindEnum(type.Name!) : null;
        var kind = ValueCodec.ScalarKind(contract, type);
        Cell cell;
        switch (kind)
        {
            case TypeKind.Int32:
                if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i32))
                {
                    error = TypeError(p, text, e is null ? "a 32-bit integer" : $"an integer value of {e.Name}");
                    return default;
                }

                cell = Cell.Of(i32);
                break;
            case TypeKind.Int64:
                if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i64))
                {
                    error = TypeError(p, text, e is null ? "a 64-bit integer" : $"an integer value of {e.Name}");
                    return default;
                }

                cell = Cell.Of(i64);
                break;
            case TypeKind.Number:
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
                {
                    error = TypeError(p, text, "a number");
                    return default;
                }

                cell = Cell.OfReal(d);
                break;
            case TypeKind.Boolean:
                if (!bool.TryParse(text, out var b))
                {
                    error = TypeError(p, text, "true or false");
                    return default;
                }

                cell = Cell.Of(b);
                break;
            case TypeKind.Date:
                if (!ValueCodec.TryParseDate(text, out var day))
                {
                    error = TypeError(p, text, "a date (yyyy-MM-dd)");
                    return default;
                }

                cell = Cell.Of(ValueCodec.ToNanos(day));
                break;
            case TypeKind.Timestamp:
                if (!ValueCodec.TryParseInstant(text, type.Encoding, out var instant))
                {
                    error = TypeError(p, text, type.Encoding switch
                    {
                        TimestampEncoding.EpochMillis => "a timestamp in epoch milliseconds (an integer)",
                        TimestampEncoding.EpochNanos => "a timestamp in epoch nanoseconds (an integer)",
                        _ => "an ISO 8601 timestamp",
                    });
                    return default;
                }

                cell = Cell.Of(type.Encoding == TimestampEncoding.EpochNanos ? long.Parse(text, CultureInfo.InvariantCulture) : ValueCodec.ToNanos(instant));
                break;
            default:
                cell = Cell.Of(text);
                break;
        }

        if (kind is TypeKind.Int32 or TypeKind.Int64)
        {
            if (p.Minimum is { } min && cell.Number < min)
            {
                error = new BadInput(p.WireName, "minimum", $"Parameter '{p.WireName}' must be at least {min} (got '{Clip(text)}').");
                return default;
            }

            if (p.Maximum is { } max && cell.Number > max)
            {
                error = new BadInput(p.WireName, "maximum", $"Parameter '{p.WireName}' must be at most {max} (got '{Clip(text)}').");
                return default;
            }
        }

        var mustBeKnown = p.Semantics.Kind is SemanticsKind.AtLeast or SemanticsKind.SortOrder;
        if (e is not null && mustBeKnown)
        {
            var ignoreCase = contract.AcceptsIgnoringCase(p);
            var known = e.Values.FirstOrDefault(v => string.Equals(v.Value, text, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal));
            if (known is null)
            {
                var allowed = string.Join(", ", e.Values.Select(v => v.Value));
                error = new BadInput(p.WireName, "enum", $"Parameter '{p.WireName}' must be one of {allowed}{(ignoreCase ? " (any case)" : string.Empty)} (got '{Clip(text)}').");
                return default;
            }

            cell = kind == TypeKind.String ? Cell.Of(known.Value) : cell;
        }

        return cell;
    }

    private static BadInput TypeError(ParameterSpec p, string text, string expected) =>
        new(p.WireName, "type", $"Parameter '{p.WireName}' must be {expected} (got '{Clip(text)}').");

    /// <summary>Shortens echoed input.</summary>
    public static string Clip(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
