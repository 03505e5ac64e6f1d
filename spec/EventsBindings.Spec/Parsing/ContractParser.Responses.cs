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

    private EquatableArray<ErrorSpec> ReadErrors(YSequence? sequence, string what)
    {
        var result = new List<ErrorSpec>();
        foreach (var item in sequence?.Items ?? new List<YNode>())
        {
            if (item is not YMapping node)
            {
                _context.Error(DiagnosticIds.WrongType, $"An error response is a mapping, not {item.KindName}.", item);
                continue;
            }

            var reader = new MapReader(_context, node, $"an error response in {what}", ContractKeys.Error);
            var status = reader.Long("status", required: true);
            var meaning = reader.String("meaning", required: true);
            var model = reader.Scalar("model");
            var body = reader.Scalar("body");
            if (status is < 100 or > 599)
            {
                _context.Error(DiagnosticIds.OutOfBounds, $"{status} is not an HTTP status code.", reader.Node("status")!);
                status = null;
            }

            if (status is not null && result.Exists(e => e.Status == status))
            {
                _context.Error(DiagnosticIds.DuplicateName, $"The status {status} appears twice in {what}.", reader.Node("status")!);
                continue;
            }

            ModelSpec? bodyModel = null;
            if (model is not null)
            {
                bodyModel = _models.Find(m => m.Name == model.Value);
                if (bodyModel is null)
                {
                    _context.Error(DiagnosticIds.UnknownType, $"The error model '{MapReader.Truncate(model.Value)}' is not a model{Suggest.DidYouMean(model.Value, _modelNames.Keys)}.", model);
                }
            }

            if (body is not null)
            {
                var expected = bodyModel is null ? null : new TypeRef(TypeKind.Model, bodyModel.Name, false, TimestampEncoding.None);
                ValidateExampleBody(body, expected, null);
            }

            var headers = new List<HeaderValue>();
            if (reader.Map("headers") is { } headersNode)
            {
                foreach (var entry in headersNode.Entries)
                {
                    if (entry.Value is YScalar value && IsToken(entry.Key.Value))
                    {
                        headers.Add(new HeaderValue(entry.Key.Value, value.Value));
                    }
                    else
                    {
                        _context.Error(DiagnosticIds.InvalidValue, $"'{MapReader.Truncate(entry.Key.Value)}' must be a header name with a scalar value.", entry.Key);
                    }
                }
            }

            var fields = ReadErrorFields(reader, bodyModel, model is not null, status, node);
            if (status is not null && meaning is not null)
            {
                result.Add(new ErrorSpec((int)status, meaning, bodyModel?.Name, body?.Value, headers.OrderBy(h => h.Name, StringComparer.Ordinal).ToEquatableArray(), _context.ReadProvenance(reader.Node("provenance"))) { Fields = fields });
            }
        }

        return result.OrderBy(e => e.Status).ToEquatableArray();
    }

    /// <summary>
    /// An error's <c>fields</c>: which top-level fields of its model carry the message, the parameter and a
    /// code. A 400 with a model must name at least the message's: that is where the mock explains a bad request.
    /// </summary>
    private ErrorFieldsSpec? ReadErrorFields(MapReader reader, ModelSpec? bodyModel, bool modelNamed, long? status, YMapping errorNode)
    {
        var node = reader.Map("fields");
        if (node is null)
        {
            if (status == 400 && bodyModel is not null && !reader.Has("fields"))
            {
                _context.Error(DiagnosticIds.MissingKey, $"A 400 error with the model '{bodyModel.Name}' needs 'fields: {{ message: <field> }}' (and optionally parameter and code): the fields of the body that explain a bad request.", reader.Node("model") ?? errorNode);
            }

            return null;
        }

        var fields = new MapReader(_context, node, "the fields of an error response", ContractKeys.ErrorFields);
        if (bodyModel is null && !modelNamed)
        {
            _context.Error(DiagnosticIds.MissingKey, "'fields' name fields of the error's 'model', which is missing.", node);
            return null;
        }

        string? Role(string key, bool integerToo)
        {
            var scalar = fields.Scalar(key);
            if (scalar is null || bodyModel is null)
            {
                return scalar?.Value;
            }

            var field = bodyModel.FindField(scalar.Value);
            if (field is null)
            {
                _context.Error(DiagnosticIds.UnknownField, $"'{key}' names '{MapReader.Truncate(scalar.Value)}', which the error model '{bodyModel.Name}' lacks{Suggest.DidYouMean(scalar.Value, bodyModel.Fields.Select(f => f.JsonName))}.", scalar);
                return null;
            }

            if (!IsUnresolved(field.Type) && field.Type is not { IsArray: false, Kind: TypeKind.String } && !(integerToo && field.Type is { IsArray: false, Kind: TypeKind.Int32 or TypeKind.Int64 }))
            {
                _context.Error(DiagnosticIds.SemanticsMismatch, $"'{key}' names '{scalar.Value}', which is {field.Type}; it must be a string{(integerToo ? " or an integer" : string.Empty)}.", scalar);
                return null;
            }

            return scalar.Value;
        }

        var message = Role("message", false);
        var parameter = Role("parameter", false);
        var code = Role("code", false);
        var named = new[] { message, parameter, code }.Where(x => x is not null).ToList();
        if (named.Count != named.Distinct(StringComparer.Ordinal).Count())
        {
            _context.Error(DiagnosticIds.DuplicateName, "Each of message, parameter and code needs a field of its own.", node);
        }

        if (status == 400 && !fields.Has("message"))
        {
            _context.Error(DiagnosticIds.MissingKey, "The fields of a 400 error must name the 'message' field.", node);
        }

        return new ErrorFieldsSpec(message, parameter, code);
    }

    private (EquatableArray<ExampleSpec> Examples, EquatableArray<ExampleRequestSpec> Requests) ReadExamples(YSequence? sequence, ResponseSpec? response, string what, List<ParameterEntry> parameters, string? pathTemplate, EquatableArray<ErrorSpec> endpointErrors)
    {
        var result = new List<ExampleSpec>();
        var requests = new List<ExampleRequestSpec>();
        foreach (var item in sequence?.Items ?? new List<YNode>())
        {
            if (item is not YMapping node)
            {
                _context.Error(DiagnosticIds.WrongType, $"An example is a mapping, not {item.KindName}.", item);
                continue;
            }

            var reader = new MapReader(_context, node, $"an example of {what}", ContractKeys.Example);
            var name = reader.Scalar("name", required: true);
            var status = reader.Long("status") ?? 200;
            // A documented request whose response the docs do not show has a request and no body.
            var body = reader.Scalar("body", required: !reader.Has("request"));
            if (!reader.Has("body") && reader.Node("status") is { } statusWithoutBody)
            {
                // A status belongs to a shown response; a request-only example has none to give it to.
                _context.Error(DiagnosticIds.MissingKey, "An example with a 'status' needs its 'body'; a request whose response the docs do not show has neither.", statusWithoutBody);
            }

            string? requestPath = null;
            var query = new List<ParameterValue>();
            if (reader.Map("request") is { } requestNode)
            {
                var request = new MapReader(_context, requestNode, $"the request of an example of {what}", ContractKeys.ExampleRequest);
                var requestPathNode = request.Scalar("path");
                requestPath = requestPathNode?.Value;
                if (requestPathNode is not null && pathTemplate is not null && !MatchesTemplate(requestPathNode.Value, pathTemplate))
                {
                    _context.Error(DiagnosticIds.PathMismatch, $"The example's request path '{MapReader.Truncate(requestPathNode.Value)}' does not match the path '{pathTemplate}' of {what}.", requestPathNode);
                }

                if (request.Map("query") is { } queryNode)
                {
                    foreach (var entry in queryNode.Entries)
                    {
                        var parameter = parameters.Find(p => p.Spec.WireName == entry.Key.Value);
                        if (parameter is null)
                        {
                            _context.Error(DiagnosticIds.UnknownEndpointParameter, $"The example's query names '{MapReader.Truncate(entry.Key.Value)}', which {what} lacks{Suggest.DidYouMean(entry.Key.Value, parameters.Select(p => p.Spec.WireName))}.", entry.Key);
                        }

                        if (entry.Value is YScalar queryValue && parameter is not null && !parameter.Spec.Type.IsArray)
                        {
                            CheckValueOfType(queryValue, parameter.Spec.Type, parameter.Spec.CaseInsensitive, $"the example's query value of '{entry.Key.Value}'");
                        }

                        if (entry.Value is YScalar value)
                        {
                            query.Add(new ParameterValue(entry.Key.Value, value.Value));
                        }
                        else
                        {
                            _context.Error(DiagnosticIds.WrongType, $"The query value of '{entry.Key.Value}' must be a scalar.", entry.Value);
                        }
                    }
                }
            }

            if (name is not null && (result.Exists(e => e.Name == name.Value) || requests.Exists(e => e.Name == name.Value)))
            {
                _context.Error(DiagnosticIds.DuplicateName, $"The example '{name.Value}' appears twice in {what}.", name);
                continue;
            }

            if (status is < 100 or > 599)
            {
                _context.Error(DiagnosticIds.OutOfBounds, $"{status} is not an HTTP status code.", reader.Node("status")!);
            }
            else if (body is not null && response is not null && status is >= 200 and < 300)
            {
                ValidateExampleBody(body, JsonConformance.ResponseType(response), response.Envelope);
            }
            else if (body is not null && status >= 300)
            {
                // An error example is checked against the model of that status's error response.
                var error = endpointErrors.FirstOrDefault(e => e.Status == status) ?? _contractErrors.FirstOrDefault(e => e.Status == status);
                var model = error?.Model is { } m ? new TypeRef(TypeKind.Model, m, false, TimestampEncoding.None) : null;
                ValidateExampleBody(body, model, null);
            }

            if (name is not null && body is not null)
            {
                result.Add(new ExampleSpec(name.Value, reader.String("summary"), (int)status, requestPath, query.OrderBy(v => v.Name, StringComparer.Ordinal).ToEquatableArray(), body.Value, _context.ReadProvenance(reader.Node("provenance"))));
            }
            else if (name is not null && reader.Has("request") && !reader.Has("body"))
            {
                requests.Add(new ExampleRequestSpec(name.Value, reader.String("summary"), requestPath, query.OrderBy(v => v.Name, StringComparer.Ordinal).ToEquatableArray(), _context.ReadProvenance(reader.Node("provenance"))));
            }
        }

        return (result.ToEquatableArray(), requests.ToEquatableArray());
    }

    private static bool MatchesTemplate(string path, string template)
    {
        // Literal segments must match; a {placeholder} matches one non-empty segment.
        var query = path.IndexOf('?');
        var p = (query >= 0 ? path.Substring(0, query) : path).Split('/');
        var t = template.Split('/');
        if (p.Length != t.Length)
        {
            return false;
        }

        for (var i = 0; i < p.Length; i++)
        {
            var isPlaceholder = t[i].StartsWith("{", StringComparison.Ordinal) && t[i].EndsWith("}", StringComparison.Ordinal);
            if (isPlaceholder ? p[i].Length == 0 : !string.Equals(p[i], t[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private void ValidateExampleBody(YScalar body, TypeRef? expected, string? envelope)
    {
        var validator = new ExampleValidator(_context, body, name => _models.Find(m => m.Name == name), name => _enums.Find(e => e.Name == name));
        validator.Validate(expected, envelope);
    }

    private MockSpec? ReadMock(YMapping node, List<SchemeEntry> schemes)
    {
        var reader = new MapReader(_context, node, "the mock", ContractKeys.Mock);
        var prefix = reader.Scalar("prefix", required: true);
        if (prefix is not null && (!prefix.Value.StartsWith("/", StringComparison.Ordinal) || prefix.Value.EndsWith("/", StringComparison.Ordinal) || prefix.Value.IndexOfAny(new[] { '?', '#', '{', ' ' }) >= 0))
        {
            _context.Error(DiagnosticIds.InvalidValue, "The mock prefix is a path that starts with '/' and does not end with one.", prefix);
        }

        var credentials = new List<MockCredentialSpec>();
        var accessKinds = new Dictionary<string, CredentialAccess>(StringComparer.Ordinal) { ["read"] = CredentialAccess.Read, ["none"] = CredentialAccess.None };
        foreach (var item in reader.Sequence("credentials")?.Items ?? new List<YNode>())
        {
            if (item is not YMapping credentialNode)
            {
                _context.Error(DiagnosticIds.WrongType, $"A credential is a mapping, not {item.KindName}.", item);
                continue;
            }

            var c = new MapReader(_context, credentialNode, "a mock credential", ContractKeys.MockCredential);
            var scheme = c.Scalar("scheme", required: true);
            var value = c.String("value", required: true);
            var access = c.Choice("access", accessKinds) ?? CredentialAccess.Read;
            if (scheme is not null && !schemes.Exists(s => s.Spec.Name == scheme.Value))
            {
                _context.Error(DiagnosticIds.UnknownScheme, $"'{MapReader.Truncate(scheme.Value)}' is not an auth scheme{Suggest.DidYouMean(scheme.Value, schemes.Select(s => s.Spec.Name))}.", scheme);
            }
            else if (scheme is not null && value is not null)
            {
                credentials.Add(new MockCredentialSpec(scheme.Value, value, access, c.String("description")));
            }
        }

        string? datasetModel = null;
        MockRatesSpec? rates = null;
        MockIdSpec? id = null;
        MockTimeSpec? time = null;
        if (reader.Map("dataset") is { } datasetNode)
        {
            var d = new MapReader(_context, datasetNode, "the mock dataset", ContractKeys.MockDataset);
            var modelNode = d.Scalar("model", required: true);
            var model = modelNode is null ? null : _models.Find(m => m.Name == modelNode.Value);
            if (modelNode is not null && model is null)
            {
                _context.Error(DiagnosticIds.UnknownType, $"The dataset model '{MapReader.Truncate(modelNode.Value)}' is not a model{Suggest.DidYouMean(modelNode.Value, _modelNames.Keys)}.", modelNode);
            }

            datasetModel = model?.Name;
            if (d.Map("id") is { } idNode)
            {
                var i = new MapReader(_context, idNode, "the dataset id", ContractKeys.MockDatasetId);
                var field = i.Scalar("field", required: true);
                CheckFieldPath(model, field, "the dataset id");
                var maxStep = i.Long("maxStep") ?? 1;
                if (maxStep < 1)
                {
                    _context.Error(DiagnosticIds.OutOfBounds, "'maxStep' must be at least 1.", i.Node("maxStep")!);
                    maxStep = 1;
                }

                id = field is null ? null : new MockIdSpec(field.Value, i.Bool("uuid"), i.Long("start") ?? 1, maxStep);
            }

            if (d.Map("time") is { } timeNode)
            {
                var t = new MapReader(_context, timeNode, "the dataset time", ContractKeys.MockDatasetTime);
                var field = t.Scalar("field", required: true);
                CheckFieldPath(model, field, "the dataset time");
                var days = t.Long("days") ?? 30;
                if (days is < 1 or > 3650)
                {
                    _context.Error(DiagnosticIds.OutOfBounds, "'days' must lie between 1 and 3650.", t.Node("days")!);
                    days = 30;
                }

                time = field is null ? null : new MockTimeSpec(field.Value, (int)days);
            }

            rates = ReadRates(d);
            _ = d.Node("provenance");
        }

        var enums = ReadMockEnums(reader.Map("enums"));

        var combinations = new List<MockCombination>();
        var datasetSpec = datasetModel is null ? null : _models.Find(m => m.Name == datasetModel);
        foreach (var item in reader.Sequence("combinations")?.Items ?? new List<YNode>())
        {
            if (item is not YMapping combinationNode)
            {
                _context.Error(DiagnosticIds.WrongType, $"A combination is a mapping of field paths to values, not {item.KindName}.", item);
                continue;
            }

            var values = new List<ParameterValue>();
            foreach (var entry in combinationNode.Entries)
            {
                CheckFieldPath(datasetSpec, entry.Key, "a mock combination");
                if (entry.Value is YScalar combinationValue && datasetSpec is not null && Resolve(datasetSpec, entry.Key.Value) is { } combinationPath)
                {
                    var target = combinationPath[combinationPath.Count - 1];
                    if (!(combinationValue.IsNull && target.Nullable))
                    {
                        CheckValueOfType(combinationValue, target.Type, caseInsensitive: false, $"the combination value of '{entry.Key.Value}'");
                    }
                }

                if (entry.Value is YScalar value)
                {
                    values.Add(new ParameterValue(entry.Key.Value, value.Value));
                }
                else
                {
                    _context.Error(DiagnosticIds.WrongType, $"The value of '{entry.Key.Value}' must be a scalar.", entry.Value);
                }
            }

            combinations.Add(new MockCombination(values.OrderBy(v => v.Name, StringComparer.Ordinal).ToEquatableArray()));
        }

        return prefix is null ? null : new MockSpec(prefix.Value, credentials.ToEquatableArray(), datasetModel, id, time, combinations.ToEquatableArray(), rates, enums);
    }

    /// <summary>
    /// <c>mock.enums</c>: per enum, the rate of values it does not list and the rates of single listed
    /// values. EB1006 for an enum that does not exist, EB1005 for a value it does not list, EB1009 for
    /// rates beyond 0 to 1 or adding up to more than 1.
    /// </summary>
    private EquatableArray<MockEnumSpec> ReadMockEnums(YMapping? node)
    {
        if (node is null)
        {
            return EquatableArray<MockEnumSpec>.Empty;
        }

        var result = new List<MockEnumSpec>();
        foreach (var entry in node.Entries)
        {
            var e = _enums.Find(x => x.Name == entry.Key.Value);
            if (e is null)
            {
                _context.Error(DiagnosticIds.UnknownType, $"'{MapReader.Truncate(entry.Key.Value)}' under mock.enums is not an enum{Suggest.DidYouMean(entry.Key.Value, _enums.Select(x => x.Name))}.", entry.Key);
                continue;
            }

            if (entry.Value is not YMapping settings)
            {
                _context.Error(DiagnosticIds.WrongType, $"The mock settings of the enum '{e.Name}' must be a mapping, not {entry.Value.KindName}.", entry.Value);
                continue;
            }

            var reader = new MapReader(_context, settings, $"the mock settings of the enum '{e.Name}'", ContractKeys.MockEnum);
            _ = _context.ReadProvenance(reader.Node("provenance"));
            var unknownRate = Rate(reader, "unknownRate") ?? 0;
            var values = new List<MockValueRate>();
            var total = unknownRate;
            foreach (var rate in reader.Map("rates")?.Entries ?? new List<KeyValuePair<YScalar, YNode>>())
            {
                if (e.IndexOf(rate.Key.Value) is var index && index < 0)
                {
                    _context.Error(DiagnosticIds.InvalidValue, $"'{MapReader.Truncate(rate.Key.Value)}' is not a value of the enum '{e.Name}'{Suggest.DidYouMean(rate.Key.Value, e.Values.Select(v => v.Value))}.", rate.Key);
                    continue;
                }

                if (rate.Value is not YScalar scalar || !double.TryParse(scalar.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var r) || double.IsNaN(r) || r is < 0 or > 1)
                {
                    _context.Error(DiagnosticIds.OutOfBounds, $"The rate of '{MapReader.Truncate(rate.Key.Value)}' is a probability between 0 and 1.", rate.Value);
                    continue;
                }

                values.Add(new MockValueRate(e.Values[index].Value, r));
                total += r;
            }

            if (total > 1 + 1e-9)
            {
                _context.Error(DiagnosticIds.OutOfBounds, $"The rates of the enum '{e.Name}' (unknownRate included) add up to more than 1.", entry.Key);
            }

            result.Add(new MockEnumSpec(e.Name, unknownRate, values.OrderBy(v => v.Value, StringComparer.Ordinal).ToEquatableArray()));
        }

        return result.OrderBy(x => x.Enum, StringComparer.Ordinal).ToEquatableArray();
    }
}
