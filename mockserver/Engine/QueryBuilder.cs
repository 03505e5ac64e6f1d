using System.Text.Json.Nodes;
using EventsBindings.MockServer.Data;
using EventsBindings.Spec.Model;

namespace EventsBindings.MockServer.Engine;

/// <summary>Compiles an endpoint's bound parameters into a <see cref="Query"/> from their declared semantics.</summary>
internal static class QueryBuilder
{
    private const long NanosPerDay = 86_400_000_000_000;

    public static Query Build(ApiRuntime api, EndpointSpec endpoint, BindResult bound, DateTimeOffset now, out BadInput? error)
    {
        error = null;
        var query = new Query();
        if (endpoint.Order is { } order)
        {
            query.OrderPath = api.ColumnPath(endpoint, order.Field);
            query.Descending = order.Direction == SortDirection.Descending;
        }

        foreach (var value in bound.Values.Values)
        {
            var p = value.Spec;
            var s = p.Semantics;
            var path = s.Field is null ? null : api.ColumnPath(endpoint, s.Field);
            var column = path is null ? null : api.Store.Column(path);
            var fieldType = s.Field is null ? null : api.FieldType(endpoint, s.Field);
            switch (s.Kind)
            {
                case SemanticsKind.EqualTo:
                case SemanticsKind.OneOf:
                    if (column is null)
                    {
                        break;
                    }

                    var ignoreCase = api.Contract.MatchesIgnoringCase(p, fieldType);
                    var wanted = value.Values.ToArray();
                    if (path == api.Store.IdPath && wanted.Length == 1 && !ignoreCase && s.Kind == SemanticsKind.EqualTo)
                    {
                        query.IdEquals = wanted[0];
                    }
                    else if (wanted.Length == 1)
                    {
                        var w = wanted[0];
                        query.Predicates.Add((path!, column, c => Cell.Matches(c, w, ignoreCase)));
                    }
                    else
                    {
                        query.Predicates.Add((path!, column, c => Array.Exists(wanted, w => Cell.Matches(c, w, ignoreCase))));
                    }

                    break;
                case SemanticsKind.AtLeast:
                    if (column is null || fieldType?.Kind != TypeKind.Enum || api.Contract.FindEnum(fieldType.Name!) is not { } e)
                    {
                        break;
                    }

                    var floor = e.IndexOf(value.Single.ToString());
                    query.Predicates.Add((path!, column, c => c.HasValue && e.IndexOf(c.ToString()) >= floor));
                    break;
                case SemanticsKind.GreaterThan:
                case SemanticsKind.LessThan:
                case SemanticsKind.CursorStart:
                case SemanticsKind.RelativeWindow:
                    if (path is null || column is null)
                    {
                        break;
                    }

                    query.AddRange(path, RangeOf(s, p, value.Single, fieldType, now));
                    break;
                case SemanticsKind.Scim:
                {
                    var model = ItemModel(api, endpoint);
                    var allowed = FilterPaths.For(api.Contract, model, s).ToDictionary(f => f.Path, StringComparer.Ordinal);
                    var filter = ScimFilter.Parse(api.Contract, value.Raw, path => allowed.GetValueOrDefault(path), p.ExpressionIgnoresCase(), out var problem);
                    if (filter is null)
                    {
                        error = new BadInput(p.WireName, "scim", $"Parameter '{p.WireName}': {problem}") { Code = s.ErrorCode };
                        return query;
                    }

                    query.ItemTests.Add((store, seq) => Item(api, store, endpoint, seq) is { } item && filter.Matches(item));
                    break;
                }

                case SemanticsKind.Keywords:
                {
                    var search = new KeywordSearch(api.Contract, FilterPaths.For(api.Contract, ItemModel(api, endpoint), s), KeywordSearch.Terms(value.Raw));
                    query.ItemTests.Add((store, seq) => Item(api, store, endpoint, seq) is { } item && search.Matches(item));
                    break;
                }

                case SemanticsKind.NewestN:
                    query.Newest = value.Single.Number;
                    break;
                case SemanticsKind.Offset:
                    query.Offset = value.Single.Number;
                    break;
                case SemanticsKind.PageSize:
                    query.PageSize = value.Single.Number;
                    break;
                case SemanticsKind.PageToken:
                    if (PageTokens.Decode(api.Contract, endpoint, value.Raw) is not { } position)
                    {
                        error = new BadInput(p.WireName, "pageToken", $"Parameter '{p.WireName}' is not a page token this server issued; send back the one its last next link carried.");
                        return query;
                    }

                    query.After = position;
                    break;
                case SemanticsKind.SortOrder:
                    var text = value.Single.ToString();
                    var cmp = api.Contract.AcceptsIgnoringCase(p) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
                    if (string.Equals(text, s.Descending, cmp))
                    {
                        query.Descending = true;
                    }
                    else if (string.Equals(text, s.Ascending, cmp))
                    {
                        query.Descending = false;
                    }
                    else
                    {
                        error = new BadInput(p.WireName, "enum", $"Parameter '{p.WireName}' must be {s.Ascending} or {s.Descending} (got '{ParameterBinder.Clip(text)}').");
                        return query;
                    }

                    if (path is not null)
                    {
                        query.OrderPath = path;
                    }

                    break;
            }
        }

        if (query.After is { Key.HasValue: true } after && query.OrderPath is { } orderPath)
        {
            // The order index seeks to the position; the id tiebreak is the query's SeqFilter (set over the store it runs on).
            query.AddRange(orderPath, query.Descending ? new Range(null, true, after.Key, true) : new Range(after.Key, true, null, true));
        }

        return query;
    }

    /// <summary>The model of the endpoint's items (its response model, else the dataset's).</summary>
    private static ModelSpec ItemModel(ApiRuntime api, EndpointSpec endpoint) =>
        endpoint.Response.Model is { } name ? api.Contract.FindModel(name) ?? api.DatasetModel : api.DatasetModel;

    /// <summary>Item <paramref name="seq"/> as the endpoint shows it, parsed.</summary>
    private static JsonObject? Item(ApiRuntime api, ItemStore store, EndpointSpec endpoint, int seq) =>
        JsonNode.Parse(api.RawFor(store, endpoint, seq).Span) as JsonObject;

    private static Range RangeOf(SemanticsSpec s, ParameterSpec p, Cell value, TypeRef? fieldType, DateTimeOffset now)
    {
        var paramKind = p.Type.Element.Kind;
        var wholeDays = paramKind == TypeKind.Date && fieldType?.Kind == TypeKind.Timestamp;
        if (fieldType?.Kind == TypeKind.Timestamp && paramKind is TypeKind.Int32 or TypeKind.Int64 && s.Kind != SemanticsKind.RelativeWindow)
        {
            // An integer against a timestamp field is on the field's own wire scale.
            value = fieldType.Encoding == TimestampEncoding.EpochNanos ? value : Cell.Of(value.Number * 1_000_000);
        }

        switch (s.Kind)
        {
            case SemanticsKind.GreaterThan:
                if (wholeDays)
                {
                    return new Range(Cell.Of(s.Inclusive ? value.Number : value.Number + NanosPerDay), true, null, true);
                }

                return new Range(value, s.Inclusive, null, true);
            case SemanticsKind.LessThan:
                if (wholeDays)
                {
                    return new Range(null, true, Cell.Of(s.Inclusive ? value.Number + NanosPerDay : value.Number), false);
                }

                return new Range(null, true, value, s.Inclusive);
            case SemanticsKind.CursorStart:
                return new Range(value, true, null, true);
            default:
                var unit = s.Unit switch
                {
                    WindowUnit.Hours => TimeSpan.FromHours(1),
                    WindowUnit.Minutes => TimeSpan.FromMinutes(1),
                    _ => TimeSpan.FromDays(1),
                };
                var nowNanos = ValueCodec.ToNanos(now);
                var unitNanos = unit.Ticks * 100;
                var back = value.Number >= nowNanos / unitNanos ? nowNanos : value.Number * unitNanos;
                return new Range(Cell.Of(nowNanos - back), true, null, true);
        }
    }
}
