using System.Globalization;
using System.Text.Json;
using EventsBindings.Spec.Model;

namespace EventsBindings.Testing;

/// <summary>
/// An independent reading of the contract's semantics, evaluated in the test over items as
/// served: the expected answer that the server's answer is compared with.
/// </summary>
public static class Oracle
{
    /// <summary>The JSON value at a dotted path, or null when absent or under a null.</summary>
    public static JsonElement? At(JsonElement item, string path)
    {
        var current = item;
        foreach (var step in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(step, out current))
            {
                return null;
            }
        }

        return current;
    }

    public static string? Text(JsonElement? value) => value is not { } v || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText();

    /// <summary>A timestamp field's value as a UTC instant (any encoding).</summary>
    public static DateTimeOffset? Instant(JsonElement? value, TimestampEncoding encoding)
    {
        if (value is not { } v)
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.Number)
        {
            var n = v.GetInt64();
            return encoding == TimestampEncoding.EpochNanos ? DateTimeOffset.UnixEpoch.AddTicks(n / 100) : DateTimeOffset.FromUnixTimeMilliseconds(n);
        }

        return v.ValueKind == JsonValueKind.String
            ? DateTimeOffset.Parse(v.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : null;
    }

    /// <summary>Whether an item satisfies a parameter's semantics for a wire value.</summary>
    public static bool Satisfies(ContractSpec contract, EndpointSpec endpoint, ParameterSpec p, string raw, JsonElement item, DateTimeOffset now)
    {
        var s = p.Semantics;
        if (s.Kind is SemanticsKind.Scim or SemanticsKind.Keywords)
        {
            var itemModel = contract.FindModel(endpoint.Response.Model ?? contract.Mock!.DatasetModel!)!;
            return s.Kind == SemanticsKind.Scim ? ScimOracle.Scim(contract, itemModel, p, raw, item) : ScimOracle.Keywords(contract, itemModel, s, raw, item);
        }

        if (s.Field is null)
        {
            return true;
        }

        var model = contract.FindModel(endpoint.Response.Model ?? contract.Mock!.DatasetModel!)!;
        var field = contract.ResolvePath(model, s.Field)!.Last();
        var value = At(item, s.Field);
        var ignoreCase = s.CaseInsensitive || p.CaseInsensitive || (field.Type.Kind == TypeKind.Enum && contract.FindEnum(field.Type.Name!)!.CaseInsensitive);
        var cmp = ignoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        switch (s.Kind)
        {
            case SemanticsKind.EqualTo:
                return Text(value) is { } t && cmp.Equals(t, raw);
            case SemanticsKind.OneOf:
                var values = p.Separator is { } sep ? raw.Split(sep) : new[] { raw };
                return Text(value) is { } u && values.Contains(u, cmp);
            case SemanticsKind.AtLeast:
                var e = contract.FindEnum(field.Type.Name!)!;
                return Text(value) is { } x && e.IndexOf(x) >= e.IndexOf(raw);
            case SemanticsKind.CursorStart:
            case SemanticsKind.GreaterThan:
            case SemanticsKind.LessThan:
            case SemanticsKind.RelativeWindow:
                if (field.Type.Kind == TypeKind.Timestamp)
                {
                    var at = Instant(value, field.Type.Encoding);
                    if (at is null)
                    {
                        return false;
                    }

                    return s.Kind switch
                    {
                        SemanticsKind.RelativeWindow => at >= now - (Unit(s.Unit) * long.Parse(raw, CultureInfo.InvariantCulture)),
                        _ when p.Type.Kind == TypeKind.Date => DayCompare(s, at.Value, DateTimeOffset.ParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)),
                        _ when p.Type.Kind == TypeKind.Timestamp && p.Type.Encoding != TimestampEncoding.EpochMillis => Compare(s, at.Value.CompareTo(WireInstant(p.Type, raw))),
                        _ => Compare(s, at.Value.ToUnixTimeMilliseconds().CompareTo(long.Parse(raw, CultureInfo.InvariantCulture))),
                    };
                }

                return value is { ValueKind: JsonValueKind.Number } num && Compare(s, num.GetInt64().CompareTo(long.Parse(raw, CultureInfo.InvariantCulture)));
            default:
                return true;
        }
    }

    private static TimeSpan Unit(WindowUnit unit) => unit switch
    {
        WindowUnit.Hours => TimeSpan.FromHours(1),
        WindowUnit.Minutes => TimeSpan.FromMinutes(1),
        _ => TimeSpan.FromDays(1),
    };

    private static bool DayCompare(SemanticsSpec s, DateTimeOffset at, DateTimeOffset day)
    {
        var itemDay = at.UtcDateTime.Date;
        var d = day.UtcDateTime.Date;
        return s.Kind == SemanticsKind.GreaterThan ? (s.Inclusive ? itemDay >= d : itemDay > d) : (s.Inclusive ? itemDay <= d : itemDay < d);
    }

    private static bool Compare(SemanticsSpec s, int c) => s.Kind switch
    {
        SemanticsKind.CursorStart => c >= 0,
        SemanticsKind.GreaterThan => s.Inclusive ? c >= 0 : c > 0,
        SemanticsKind.LessThan => s.Inclusive ? c <= 0 : c < 0,
        _ => true,
    };

    /// <summary>True for semantics that filter items (as opposed to order and paging).</summary>
    public static bool IsFilter(SemanticsKind kind) => kind is SemanticsKind.EqualTo or SemanticsKind.OneOf or SemanticsKind.AtLeast
        or SemanticsKind.GreaterThan or SemanticsKind.LessThan or SemanticsKind.CursorStart or SemanticsKind.RelativeWindow;

    /// <summary>
    /// The wire value a relative default (<c>default: { relativeTo, offset }</c>) stands for: the value of
    /// <c>relativeTo</c> among <paramref name="values"/> (or its own relative default; now when absent) plus
    /// the offset, written in the parameter's encoding.
    /// </summary>
    public static string RelativeDefault(EndpointSpec endpoint, ParameterSpec p, IReadOnlyDictionary<string, string> values, DateTimeOffset now)
    {
        var relative = p.RelativeDefault!;
        DateTimeOffset? anchor = null;
        if (relative.RelativeTo is { } name && endpoint.FindParameter(name) is { } other)
        {
            var raw = values.TryGetValue(name, out var given) ? given : other.RelativeDefault is not null ? RelativeDefault(endpoint, other, values, now) : null;
            anchor = raw is null ? null : WireInstant(other.Type, raw);
        }

        return WireText(p.Type, relative.Resolve(anchor, now));
    }

    /// <summary>An instant as the wire text of a timestamp or date parameter.</summary>
    public static string WireText(TypeRef type, DateTimeOffset instant) => type.Kind switch
    {
        TypeKind.Date => instant.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => type.Encoding switch
        {
            TimestampEncoding.EpochMillis => instant.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            TimestampEncoding.EpochNanos => ((instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100).ToString(CultureInfo.InvariantCulture),
            _ => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        },
    };

    /// <summary>The instant of a timestamp or date parameter's wire text.</summary>
    public static DateTimeOffset WireInstant(TypeRef type, string raw) => type.Kind == TypeKind.Date
        ? DateTimeOffset.ParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
        : type.Encoding switch
        {
            TimestampEncoding.EpochMillis => DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(raw, CultureInfo.InvariantCulture)),
            TimestampEncoding.EpochNanos => DateTimeOffset.UnixEpoch.AddTicks(long.Parse(raw, CultureInfo.InvariantCulture) / 100),
            _ => DateTimeOffset.Parse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        };
}
