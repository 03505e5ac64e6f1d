using System.Globalization;
using System.Text.Json;
using EventsBindings.Spec.Model;

namespace EventsBindings.Testing;

/// <summary>
/// Chooses, from the items actually served, a wire value for a filter parameter that selects a
/// meaningful part of them (the most common value, the median instant, the middle of an ordered enum),
/// so that a test of the filter is neither empty nor everything.
/// </summary>
public static class ValueChooser
{
    public static string Choose(ContractSpec contract, EndpointSpec endpoint, ParameterSpec p, IReadOnlyList<JsonElement> universe)
    {
        var s = p.Semantics;
        var model = contract.FindModel(endpoint.Response.Model ?? contract.Mock!.DatasetModel!) ?? contract.FindModel(contract.Mock!.DatasetModel!)!;
        var field = contract.ResolvePath(model, s.Field!)!.Last();
        var present = universe.Select(i => Oracle.At(i, s.Field!)).Where(v => v is { ValueKind: not JsonValueKind.Null }).Select(v => v!.Value).ToList();
        switch (s.Kind)
        {
            case SemanticsKind.EqualTo:
            case SemanticsKind.OneOf:
                var common = present.Select(v => Oracle.Text(v)!).GroupBy(t => t).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).ToList();
                if (s.Kind == SemanticsKind.OneOf && p.Separator is { } sep && common.Count > 1)
                {
                    return common[0] + sep + common[1];
                }

                var first = common[0];
                // Exercise case-insensitive matching with a different case.
                return s.CaseInsensitive || p.CaseInsensitive ? (first.ToUpperInvariant() != first ? first.ToUpperInvariant() : first.ToLowerInvariant()) : first;
            case SemanticsKind.AtLeast:
                var e = contract.FindEnum(field.Type.Name!)!;
                return e.Values[e.Values.Count / 2].Value;
            case SemanticsKind.RelativeWindow:
                return "7";
            default:
                if (field.Type.Kind == TypeKind.Timestamp)
                {
                    var instants = present.Select(v => Oracle.Instant(v, field.Type.Encoding)!.Value).Order().ToList();
                    var median = instants[instants.Count / 2];
                    // The median in the parameter's own wire format (a date, epoch milliseconds or nanoseconds, ISO 8601).
                    return p.Type.Kind == TypeKind.Date
                        ? median.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                        : p.Type.Encoding switch
                        {
                            TimestampEncoding.EpochMillis => median.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                            TimestampEncoding.EpochNanos => ((median - DateTimeOffset.UnixEpoch).Ticks * 100).ToString(CultureInfo.InvariantCulture),
                            TimestampEncoding.Iso => median.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                            _ => median.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture),
                        };
                }

                var numbers = present.Select(v => v.GetInt64()).Order().ToList();
                return numbers[numbers.Count / 2].ToString(CultureInfo.InvariantCulture);
        }
    }
}
