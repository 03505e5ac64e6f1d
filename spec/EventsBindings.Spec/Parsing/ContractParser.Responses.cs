using System.Globalization;
using EventsBindings.Spec.Diagnostics;
using EventsBindings.Spec.Model;
using EventsBindings.Spec.Yaml;

namespace EventsBindings.Spec.Parsing;

internal sealed partial class ContractParser
{
    private static readonly Dictionary<string, ResponseKind> ResponseKinds = new(StringComparer.Ordinal)
    {
        ["list"] = ResponseKind.List,
        ["item"] = ResponseKind.Item,
        ["count"] = ResponseKind.Count,
        ["token"] = ResponseKind.Token,
    };

    private static readonly Dictionary<string, SortDirection> Directions = new(StringComparer.Ordinal)
    {
        ["ascending"] = SortDirection.Ascending,
        ["descending"] = SortDirection.Descending,
    };

    private static readonly Dictionary<string, PaginationStrategy> Strategies = new(StringComparer.Ordinal)
    {
        ["none"] = PaginationStrategy.None,
        ["cursor"] = PaginationStrategy.Cursor,
        ["offset"] = PaginationStrategy.Offset,
        ["nextLink"] = PaginationStrategy.NextLink,
    };

    private static readonly Dictionary<string, CursorNext> CursorNexts = new(StringComparer.Ordinal)
    {
        ["lastPlusOne"] = CursorNext.LastPlusOne,
        ["last"] = CursorNext.Last,
    };

    private static readonly Dictionary<string, StopRule> StopRules = new(StringComparer.Ordinal)
    {
        ["shortPage"] = StopRule.ShortPage,
        ["emptyPage"] = StopRule.EmptyPage,
        ["absent"] = StopRule.Absent,
    };

    private static readonly Dictionary<string, SyncStrategy> SyncStrategies = new(StringComparer.Ordinal)
    {
        ["idCursor"] = SyncStrategy.IdCursor,
        ["timeCursor"] = SyncStrategy.TimeCursor,
        ["nextLink"] = SyncStrategy.NextLink,
    };

    private List<FieldSpec>? Resolve(ModelSpec model, string path)
    {
        var result = new List<FieldSpec>();
        ModelSpec? current = model;
        foreach (var step in path.Split('.'))
        {
            var field = current?.FindField(step);
            if (field is null)
            {
                return null;
            }

            result.Add(field);
            current = field.Type.Kind == TypeKind.Model && !field.Type.IsArray ? _models.Find(m => m.Name == field.Type.Name) : null;
        }

        return result;
    }

    private void CheckFieldPath(ModelSpec? model, YScalar? node, string what)
    {
        if (model is not null && node is not null && Resolve(model, node.Value) is null)
        {
            _context.Error(DiagnosticIds.UnknownField, $"{Capitalize(what)} names '{MapReader.Truncate(node.Value)}', which the model '{model.Name}' lacks{SuggestPath(model, node.Value)}.", node);
        }
    }

    private void CheckFromHints(MockSpec? mock)
    {
        foreach (var (modelName, type, node) in _fromHints)
        {
            var dataset = mock?.DatasetModel is { } d ? _models.Find(m => m.Name == d) : null;
            if (dataset is null)
            {
                _context.Error(DiagnosticIds.UnknownField, $"'from' names '{MapReader.Truncate(node.Value)}', a field of the mock dataset's model, but the contract's mock declares no dataset model.", node);
                continue;
            }

            var path = Resolve(dataset, node.Value);
            if (path is null)
            {
                _context.Error(DiagnosticIds.UnknownField, $"'from' (in the model '{modelName}') names '{MapReader.Truncate(node.Value)}', which the dataset model '{dataset.Name}' lacks{SuggestPath(dataset, node.Value)}.", node);
                continue;
            }

            var source = path[path.Count - 1].Type;
            var fits = type is null || IsUnresolved(source)
                || (source.Kind == type.Kind && source.Name == type.Name && source.IsArray == type.IsArray)
                || (type.Kind == TypeKind.String && !type.IsArray && !source.IsArray && source.Kind is TypeKind.Enum or TypeKind.String);
            if (!fits)
            {
                _context.Error(DiagnosticIds.SemanticsMismatch, $"'from' takes '{node.Value}' ({source}) of the dataset model '{dataset.Name}' into a field of type {type}.", node);
            }
        }
    }

    private void CheckEndpointParameter(List<ParameterEntry> parameters, YScalar? node, string what)
    {
        if (node is not null && !parameters.Exists(p => p.Spec.WireName == node.Value))
        {
            _context.Error(DiagnosticIds.UnknownEndpointParameter, $"{Capitalize(what)} names the parameter '{MapReader.Truncate(node.Value)}', which the endpoint lacks{Suggest.DidYouMean(node.Value, parameters.Select(p => p.Spec.WireName))}.", node);
        }
    }

    private void CheckParameterRole(List<ParameterEntry> parameters, YScalar? node, string what, params SemanticsKind[] kinds)
    {
        if (node is null || parameters.Find(p => p.Spec.WireName == node.Value) is not { } parameter)
        {
            return;
        }

        if (Array.IndexOf(kinds, parameter.Spec.Semantics.Kind) < 0)
        {
            var expected = string.Join(" or ", kinds.Select(k => SemanticsKinds.First(pair => pair.Value == k).Key));
            _context.Error(DiagnosticIds.SemanticsMismatch, $"{Capitalize(what)} uses '{node.Value}', whose semantics should be {expected}.", node);
        }
        else if (kinds[0] is SemanticsKind.Offset or SemanticsKind.PageSize && !IsUnresolved(parameter.Spec.Type) && parameter.Spec.Type is not { IsArray: false, Kind: TypeKind.Int32 or TypeKind.Int64 })
        {
            _context.Error(DiagnosticIds.SemanticsMismatch, $"{Capitalize(what)} uses '{node.Value}', which should be an integer, not {parameter.Spec.Type}.", node);
        }
    }

    /// <summary>What a cursor value is to the runtime, which carries every cursor as a 64-bit integer.</summary>
    private enum CursorUnit
    {
        Other,
        Integer,
        Millis,
        Nanos,
        Number,
    }

    private static CursorUnit UnitOf(TypeRef type) => type switch
    {
        { IsArray: true } => CursorUnit.Other,
        { Kind: TypeKind.Int32 or TypeKind.Int64 } => CursorUnit.Integer,
        { Kind: TypeKind.Timestamp, Encoding: TimestampEncoding.EpochNanos } => CursorUnit.Nanos,
        { Kind: TypeKind.Timestamp } => CursorUnit.Millis,
        { Kind: TypeKind.Number } => CursorUnit.Number,
        _ => CursorUnit.Other,
    };

    /// <summary>
    /// A pagination cursor is read from the last item's field and sent in the cursor parameter as a 64-bit
    /// integer: an integer, epoch milliseconds (every timestamp encoding but epochNanos) or epoch nanoseconds.
    /// The field and the parameter must hold the same unit, so that "+1" and "moves forward" mean the same on both.
    /// </summary>
    private void CheckCursorTypes(List<ParameterEntry> parameters, YScalar? parameter, ModelSpec? itemModel, YScalar? field, string what)
    {
        TypeRef? fieldType = null;
        if (itemModel is not null && field is not null && Resolve(itemModel, field.Value) is { } path && !IsUnresolved(path[path.Count - 1].Type))
        {
            fieldType = path[path.Count - 1].Type;
            if (UnitOf(fieldType) is not (CursorUnit.Integer or CursorUnit.Millis or CursorUnit.Nanos))
            {
                _context.Error(DiagnosticIds.UnsupportedPaging, $"{Capitalize(what)} reads '{field.Value}', which is {fieldType}; a cursor is an integer or a timestamp.", field);
                return;
            }
        }

        if (parameter is null || parameters.Find(p => p.Spec.WireName == parameter.Value) is not { } entry || IsUnresolved(entry.Spec.Type))
        {
            return;
        }

        if (fieldType is not null && UnitOf(entry.Spec.Type) != UnitOf(fieldType))
        {
            _context.Error(DiagnosticIds.UnsupportedPaging, $"{Capitalize(what)} sends '{field!.Value}' ({fieldType}) in '{parameter.Value}', which is {entry.Spec.Type}; the parameter must carry the field's kind of value (an integer, a millisecond timestamp or an epochNanos timestamp).", parameter);
            return;
        }

        CheckNotInPath(parameters, parameter, what);
    }

    /// <summary>Paging, sync and their fixed values travel in the query or a header; a path parameter cannot change between pages.</summary>
    private void CheckNotInPath(List<ParameterEntry> parameters, YScalar? node, string what)
    {
        if (node is not null && parameters.Find(p => p.Spec.WireName == node.Value) is { Spec.In: ParameterLocation.Path, UnknownLocation: false })
        {
            _context.Error(DiagnosticIds.UnsupportedPaging, $"{Capitalize(what)} uses the path parameter '{node.Value}'; paging and sync parameters travel in the query or a header.", node);
        }
    }

    private ResponseSpec? ReadResponse(YMapping? node, string what)
    {
        if (node is null)
        {
            return null;
        }

        var reader = new MapReader(_context, node, $"the response of {what}", ContractKeys.Response);
        var kind = reader.Choice("kind", ResponseKinds, required: true);
        var model = reader.Scalar("model", required: kind is ResponseKind.List or ResponseKind.Item or ResponseKind.Token);
        var cap = reader.Long("cap");
        if (model is not null && !_modelNames.ContainsKey(model.Value))
        {
            _context.Error(DiagnosticIds.UnknownType, $"The response model '{MapReader.Truncate(model.Value)}' of {what} is not a model{Suggest.DidYouMean(model.Value, _modelNames.Keys)}.", model);
            model = null;
        }

        if (kind == ResponseKind.Count && model is not null)
        {
            _context.Error(DiagnosticIds.InvalidValue, "A count response has no model.", model);
        }

        if (cap is not null && kind != ResponseKind.Count)
        {
            _context.Error(DiagnosticIds.InvalidValue, "'cap' applies only to count responses.", reader.Node("cap")!);
        }

        return kind is { } k ? new ResponseSpec(k, k == ResponseKind.Count ? null : model?.Value, reader.String("envelope"), cap) : null;
    }

    private OrderSpec? ReadOrder(YMapping node, ModelSpec? itemModel, string what)
    {
        var reader = new MapReader(_context, node, $"the order of {what}", ContractKeys.Order);
        var field = reader.Scalar("field", required: true);
        var direction = reader.Choice("direction", Directions, required: true);
        CheckFieldPath(itemModel, field, $"the order of {what}");
        return field is not null && direction is not null ? new OrderSpec(field.Value, direction.Value) : null;
    }

    private PaginationSpec? ReadPagination(YMapping node, List<ParameterEntry> parameters, ModelSpec? itemModel, string what, ResponseSpec? response)
    {
        var reader = new MapReader(_context, node, $"the pagination of {what}", ContractKeys.Pagination);
        var strategy = reader.Choice("strategy", Strategies, required: true);
        if (strategy == PaginationStrategy.NextLink)
        {
            return ReadNextLinkPagination(reader, parameters, what, response);
        }

        if (reader.Node("nextLink") is { } strayNextLink)
        {
            _context.Error(DiagnosticIds.InvalidValue, "'nextLink' applies only to the nextLink strategy.", strayNextLink);
        }

        string? cursorParameter = null;
        string? cursorField = null;
        var next = CursorNext.LastPlusOne;
        if (strategy == PaginationStrategy.Cursor)
        {
            var cursorNode = reader.Map("cursor", required: true);
            if (cursorNode is not null)
            {
                var cursor = new MapReader(_context, cursorNode, $"the cursor of {what}", ContractKeys.Cursor);
                var parameter = cursor.Scalar("parameter", required: true);
                var field = cursor.Scalar("field", required: true);
                next = cursor.Choice("next", CursorNexts) ?? CursorNext.LastPlusOne;
                CheckEndpointParameter(parameters, parameter, $"the pagination of {what}");
                CheckFieldPath(itemModel, field, $"the pagination of {what}");
                CheckParameterRole(parameters, parameter, $"the cursor of {what}", SemanticsKind.CursorStart, SemanticsKind.GreaterThan);
                if (next == CursorNext.LastPlusOne && itemModel is not null && field is not null && Resolve(itemModel, field.Value) is { } path
                    && path[path.Count - 1].Type is { IsArray: false, Kind: not (TypeKind.Int32 or TypeKind.Int64 or TypeKind.Timestamp) } cursorType && !IsUnresolved(cursorType))
                {
                    _context.Error(DiagnosticIds.SemanticsMismatch, $"'next: lastPlusOne' adds 1 to the cursor field '{field.Value}', which is {cursorType}.", field);
                }
                else
                {
                    CheckCursorTypes(parameters, parameter, itemModel, field, $"the cursor of {what}");
                }

                cursorParameter = parameter?.Value;
                cursorField = field?.Value;
            }
        }
        else if (reader.Node("cursor") is { } strayCursor)
        {
            _context.Error(DiagnosticIds.InvalidValue, "'cursor' applies only to the cursor strategy.", strayCursor);
        }

        var offset = reader.Scalar("offset", required: strategy == PaginationStrategy.Offset);
        if (offset is not null && strategy != PaginationStrategy.Offset)
        {
            _context.Error(DiagnosticIds.InvalidValue, "'offset' applies only to the offset strategy.", offset);
        }

        var pageSize = reader.Scalar("pageSize", required: strategy is PaginationStrategy.Cursor or PaginationStrategy.Offset);
        CheckEndpointParameter(parameters, offset, $"the pagination of {what}");
        CheckEndpointParameter(parameters, pageSize, $"the pagination of {what}");
        CheckParameterRole(parameters, offset, $"the pagination of {what}", SemanticsKind.Offset);
        CheckParameterRole(parameters, pageSize, $"the pagination of {what}", SemanticsKind.PageSize);
        CheckNotInPath(parameters, offset, $"the pagination of {what}");
        CheckNotInPath(parameters, pageSize, $"the pagination of {what}");
        var stop = reader.Choice("stop", StopRules) ?? StopRule.ShortPage;
        if (stop == StopRule.Absent)
        {
            _context.Error(DiagnosticIds.InvalidValue, "'stop: absent' (stop when no next link) applies only to the nextLink strategy.", reader.Node("stop")!);
        }

        return strategy is { } s
            ? new PaginationSpec(s, cursorParameter, cursorField, next, offset?.Value, pageSize?.Value, stop, _context.ReadProvenance(reader.Node("provenance")))
            : null;
    }

    private SyncSpec? ReadSync(YMapping node, List<ParameterEntry> parameters, ModelSpec? itemModel, string what)
    {
        var reader = new MapReader(_context, node, $"the sync of {what}", ContractKeys.Sync);
        var strategy = reader.Choice("strategy", SyncStrategies, required: true);
        if (strategy == SyncStrategy.NextLink)
        {
            return ReadNextLinkSync(reader, parameters, itemModel, what);
        }

        var parameter = reader.Scalar("parameter", required: true);
        var field = reader.Scalar("field", required: true);
        var overlap = reader.Long("overlap") ?? 0;
        var dedupBy = reader.Scalar("dedupBy", required: strategy == SyncStrategy.TimeCursor);
        CheckEndpointParameter(parameters, parameter, $"the sync of {what}");
        CheckFieldPath(itemModel, field, $"the sync of {what}");
        if (strategy is { } syncStrategy && itemModel is not null && field is not null && Resolve(itemModel, field.Value) is { } syncPath)
        {
            var syncType = syncPath[syncPath.Count - 1].Type;
            var fits = syncStrategy == SyncStrategy.IdCursor
                ? syncType is { IsArray: false, Kind: TypeKind.Int32 or TypeKind.Int64 }
                : syncType is { IsArray: false, Kind: TypeKind.Timestamp or TypeKind.Int32 or TypeKind.Int64 or TypeKind.Number };
            if (!fits && !IsUnresolved(syncType))
            {
                _context.Error(DiagnosticIds.SemanticsMismatch, $"The {(syncStrategy == SyncStrategy.IdCursor ? "idCursor" : "timeCursor")} sync needs {(syncStrategy == SyncStrategy.IdCursor ? "an integer" : "a time or number")} field; '{field.Value}' is {syncType}.", field);
            }
        }

        if (strategy is { } cursorStrategy && parameter is not null && parameters.Find(p => p.Spec.WireName == parameter.Value) is { } cursorEntry && !IsUnresolved(cursorEntry.Spec.Type))
        {
            var unit = UnitOf(cursorEntry.Spec.Type);
            var carries = cursorStrategy == SyncStrategy.IdCursor
                ? unit == CursorUnit.Integer
                : unit is CursorUnit.Integer or CursorUnit.Millis or CursorUnit.Nanos or CursorUnit.Number;
            if (!carries)
            {
                _context.Error(DiagnosticIds.UnsupportedPaging, $"The {(cursorStrategy == SyncStrategy.IdCursor ? "idCursor sync sends an integer id" : "timeCursor sync sends a time or number")} in '{parameter.Value}', which is {cursorEntry.Spec.Type}.", parameter);
            }

            CheckNotInPath(parameters, parameter, $"the sync of {what}");
        }

        CheckFieldPath(itemModel, dedupBy, $"the sync of {what}");
        if (overlap < 0)
        {
            _context.Error(DiagnosticIds.OutOfBounds, "'overlap' cannot be negative.", reader.Node("overlap")!);
        }

        var set = ReadSyncValues(reader, "set", parameters, what);
        var defaults = ReadSyncValues(reader, "defaults", parameters, what);
        foreach (var both in defaults.Where(d => set.Any(v => v.Name == d.Name)))
        {
            _context.Error(DiagnosticIds.DuplicateName, $"'{both.Name}' is both set and defaulted by the sync of {what}.", reader.Map("defaults")!.Entries.First(e => e.Key.Value == both.Name).Key);
        }

        return strategy is { } s && parameter is not null && field is not null
            ? new SyncSpec(s, parameter.Value, field.Value, overlap, dedupBy?.Value, set, defaults, _context.ReadProvenance(reader.Node("provenance")))
            : null;
    }

    /// <summary>A sync's map of wire name to value (<c>set</c> or <c>defaults</c>), checked against the endpoint's parameters, sorted by name.</summary>
    private EquatableArray<ParameterValue> ReadSyncValues(MapReader reader, string key, List<ParameterEntry> parameters, string what)
    {
        var values = new List<ParameterValue>();
        if (reader.Map(key) is not { } node)
        {
            return values.ToEquatableArray();
        }

        foreach (var entry in node.Entries)
        {
            CheckEndpointParameter(parameters, entry.Key, $"the sync of {what}");
            CheckNotInPath(parameters, entry.Key, $"the sync of {what}");
            if (entry.Value is not YScalar value)
            {
                _context.Error(DiagnosticIds.WrongType, $"The value of '{entry.Key.Value}' must be a scalar.", entry.Value);
                continue;
            }

            if (parameters.Find(p => p.Spec.WireName == entry.Key.Value) is { } parameter)
            {
                CheckValueOfType(value, parameter.Spec.Type, parameter.Spec.CaseInsensitive, $"the value of '{entry.Key.Value}'");
            }

            values.Add(new ParameterValue(entry.Key.Value, value.Value));
        }

        return values.OrderBy(v => v.Name, StringComparer.Ordinal).ToEquatableArray();
    }
}
