using EventsBindings.Generator.Model;
using EventsBindings.Spec.Model;
using EventsBindings.Spec.Parsing;

namespace EventsBindings.Generator.Parser;

/// <summary>
/// Turns a validated contract into the emit model: C# names and types, wire facts and the
/// accessors that paging and sync need. Pure and deterministic, so equal contracts give equal
/// emit models and the incremental pipeline can cache the emitted source.
/// </summary>
internal static class EmitModelBuilder
{
    private const string Runtime = "global::EventsBindings.Runtime";

    public static ContractEmit Build(ContractSpec contract, string hintPrefix)
    {
        var ns = "global::" + contract.Namespace;
        var models = contract.Models.Select(m => BuildModel(contract, m, ns)).ToEquatableArray();
        var enums = contract.Enums.Select(BuildEnum).ToEquatableArray();
        // API-wide meanings go into the descriptor; an endpoint's own travel with its requests.
        var errors = contract.Errors.Select(e => new ErrorEmit(e.Status, e.Meaning)).ToList();

        return FilterEmitBuilder.Apply(contract, new ContractEmit(
            hintPrefix,
            contract.Namespace,
            contract.Name,
            contract.Name + "Client",
            contract.Title,
            contract.Description,
            contract.Docs,
            contract.Servers.Select(s => new ServerEmit(s.Name, s.Url, s.IsDefault, s.Description)
            {
                Variables = s.Variables.Select(v => new ServerVariableEmit(v.Name, v.Default, v.Description, v.Enum)).ToEquatableArray(),
            }).ToEquatableArray(),
            OrderSchemes(contract).ToEquatableArray(),
            errors.OrderBy(e => e.Status).ToEquatableArray(),
            enums,
            models,
            contract.Endpoints.Where(e => e.Response.Kind != ResponseKind.Token).Select(e => BuildEndpoint(contract, e, ns)).ToEquatableArray()));
    }

    private static IEnumerable<SchemeEmit> OrderSchemes(ContractSpec contract)
    {
        // Preferred order: the contract's security list first, then the remaining schemes.
        var ordered = contract.Security.Select(contract.FindScheme).Where(s => s is not null).Select(s => s!).ToList();
        ordered.AddRange(contract.AuthSchemes.Where(s => !ordered.Contains(s)));
        foreach (var scheme in ordered)
        {
            string? exchangePath = null;
            if (scheme.ExchangeEndpoint is { } endpointName && contract.FindEndpoint(endpointName) is { } endpoint)
            {
                exchangePath = endpoint.Path;
            }

            yield return new SchemeEmit(scheme.Name, scheme.Kind.ToString(), scheme.Header, exchangePath, scheme.TokenField, scheme.Description)
            {
                AuthorizationScheme = scheme.AuthorizationScheme,
            };
        }
    }

    private static EnumEmit BuildEnum(EnumSpec e)
    {
        var valueType = e.UnderlyingType switch
        {
            TypeKind.Int32 => "int",
            TypeKind.Int64 => "long",
            _ => "string",
        };
        return new EnumEmit(
            e.Name,
            e.Description,
            valueType,
            e.UnderlyingType == TypeKind.String,
            e.Ordered,
            e.CaseInsensitive,
            e.Values.Select(v => new EnumValueEmit(v.CSharpName, v.Value, v.Description)).ToEquatableArray())
        {
            Closed = e.Closed,
        };
    }

    private static ModelEmit BuildModel(ContractSpec contract, ModelSpec model, string ns)
    {
        var fields = new List<FieldEmit>();
        var optionalIndex = 0;
        foreach (var field in model.Fields)
        {
            var kind = KindOf(field.Type);
            var element = ClrType(field.Type.Element, ns);
            var type = field.Type.IsArray ? $"global::System.Collections.Generic.IReadOnlyList<{element}>" : element;
            var nullable = field.Nullable || field.Optional;
            fields.Add(new FieldEmit(
                field.JsonName,
                field.CSharpName,
                element,
                nullable ? type + "?" : type,
                kind,
                field.Type.Name,
                field.Type.IsArray,
                field.Nullable,
                field.Optional,
                field.Optional ? optionalIndex++ : -1,
                field.Description)
            {
                UnitUncertain = field.UnitUncertain,
            });
        }

        _ = contract;
        return new ModelEmit(model.Name, model.Description, fields.ToEquatableArray(), optionalIndex);
    }

    private static EndpointEmit BuildEndpoint(ContractSpec contract, EndpointSpec endpoint, string ns)
    {
        // A pageToken is an opaque position the server issues: no query property; the pager sends it back.
        var parameters = endpoint.Parameters.Where(p => p.Semantics.Kind != SemanticsKind.PageToken).Select(p => BuildParameter(endpoint, p, ns)).ToList();
        var pathParameters = parameters.Where(p => p.Place == ParameterPlace.Path).ToEquatableArray();
        var queryParameters = parameters.Where(p => p.Place != ParameterPlace.Path).ToEquatableArray();
        var model = endpoint.Response.Model is { } modelName ? contract.FindModel(modelName) : null;
        var newestN = endpoint.Parameters.FirstOrDefault(p => p.Semantics.Kind == SemanticsKind.NewestN);
        var pageSizeParameter = endpoint.Pagination?.PageSizeParameter is { } ps ? endpoint.FindParameter(ps) : endpoint.Parameters.FirstOrDefault(p => p.Semantics.Kind == SemanticsKind.PageSize);
        var pageSize = pageSizeParameter is null ? null : new PageSizeEmit(
            Property(endpoint, queryParameters, pageSizeParameter.WireName, "pagination"),
            ParseInt(pageSizeParameter.Default) ?? (pageSizeParameter.Maximum is { } max ? (int)Math.Min(max, int.MaxValue) : 100),
            pageSizeParameter.Maximum);
        var paging = endpoint.Response.Kind == ResponseKind.List ? BuildPaging(contract, endpoint, model, queryParameters, pageSize) : new PagingEmit.Single();
        var sync = endpoint.Response.Kind == ResponseKind.List ? BuildSync(contract, endpoint, model, queryParameters, paging, pageSize, ns) : null;
        if (paging is PagingEmit.Offset { Identity: null } offset && sync is not null)
        {
            // A page repeated by a server that ignores the offset is told by the sync's ids, else by the items' JSON.
            paging = offset with { Identity = sync.Id };
        }

        return new EndpointEmit(
            endpoint.Name,
            endpoint.Method,
            endpoint.Path,
            Segments(endpoint.Path, parameters).ToEquatableArray(),
            endpoint.Summary,
            endpoint.Description,
            endpoint.Response.Kind,
            endpoint.Response.Model,
            endpoint.Response.Envelope,
            endpoint.Name + "Query",
            pathParameters,
            queryParameters,
            paging,
            newestN is null ? null : queryParameters.First(p => p.WireName == newestN.WireName).PropertyName,
            sync,
            endpoint.Errors.Select(e => new ErrorEmit(e.Status, e.Meaning)).ToEquatableArray());
    }

    /// <summary>The paging case of a list endpoint; what the spec accepts but cannot be emitted is an <see cref="EmitModelException"/>.</summary>
    private static PagingEmit BuildPaging(ContractSpec contract, EndpointSpec endpoint, ModelSpec? model, EquatableArray<ParameterEmit> query, PageSizeEmit? pageSize)
    {
        var pagination = endpoint.Pagination;
        if (pagination is null)
        {
            return new PagingEmit.Single();
        }

        var stopOnEmpty = pagination.Stop == StopRule.EmptyPage;
        switch (pagination.Strategy)
        {
            case PaginationStrategy.Offset:
                var offset = pagination.OffsetParameter ?? throw new EmitModelException(endpoint.Name, "pagination", "offset paging names no offset parameter");
                return new PagingEmit.Offset(Property(endpoint, query, offset, "pagination"), pageSize ?? throw NoPageSize(endpoint), null) { StopOnEmptyPage = stopOnEmpty };
            case PaginationStrategy.Cursor:
                var cursor = pagination.CursorParameter ?? throw new EmitModelException(endpoint.Name, "pagination", "cursor paging names no cursor parameter");
                var field = pagination.CursorField ?? throw new EmitModelException(endpoint.Name, "pagination", "cursor paging names no cursor field");
                return new PagingEmit.Cursor(
                    Property(endpoint, query, cursor, "pagination"),
                    pageSize ?? throw NoPageSize(endpoint),
                    Access(contract, endpoint, model, field, "pagination"),
                    pagination.CursorNext != CursorNext.Last) { StopOnEmptyPage = stopOnEmpty };
            case PaginationStrategy.NextLink:
                var link = pagination.NextLink ?? throw new EmitModelException(endpoint.Name, "pagination", "next-link paging says nowhere where the next link is");
                if (link.Header is null ? link.Field is null : link.Rel is null)
                {
                    throw new EmitModelException(endpoint.Name, "pagination", "a next link comes from a header with its relation or from a body field");
                }

                var tokenPlace = link.Parameter is { } tokenWire && endpoint.FindParameter(tokenWire) is { In: ParameterLocation.Header } ? ParameterPlace.Header : ParameterPlace.Query;
                return new PagingEmit.NextLink(link.Header, link.Rel, link.Field, link.Parameter, tokenPlace, pageSize) { StopOnEmptyPage = stopOnEmpty };
            default:
                throw new EmitModelException(endpoint.Name, "pagination", $"the paging strategy {pagination.Strategy} has no emitter");
        }
    }

    /// <summary>The sync case of a list endpoint, or null when it declares none.</summary>
    private static SyncEmit? BuildSync(ContractSpec contract, EndpointSpec endpoint, ModelSpec? model, EquatableArray<ParameterEmit> query, PagingEmit paging, PageSizeEmit? pageSizeParameter, string ns)
    {
        if (endpoint.Sync is not { } sync)
        {
            return null;
        }

        var id = Access(contract, endpoint, model, sync.DedupBy ?? sync.Field, "sync");
        var fixedValues = sync.Set.Select(v => (v, false)).Concat(sync.Defaults.Select(v => (v, true)))
            .Select(x =>
            {
                var parameter = endpoint.FindParameter(x.v.Name) ?? throw new EmitModelException(endpoint.Name, "sync", $"the sync sends '{x.v.Name}', which is no parameter of the endpoint");
                return new FixedValueEmit(Property(endpoint, query, x.v.Name, "sync").Name, KindOf(parameter.Type), parameter.Type.Kind == TypeKind.Enum ? ns + "." + parameter.Type.Name : null, x.v.Value, x.Item2);
            })
            .ToEquatableArray();
        var pageSize = (int)Math.Min(pageSizeParameter?.Maximum ?? 1000, 1000);
        switch (sync.Strategy)
        {
            case SyncStrategy.NextLink when paging is PagingEmit.NextLink:
                return new SyncEmit.NextLink(id, fixedValues, pageSizeParameter, pageSize);
            case SyncStrategy.IdCursor:
                return new SyncEmit.IdCursor(Property(endpoint, query, sync.Parameter, "sync"), Access(contract, endpoint, model, sync.Field, "sync"), id, fixedValues, pageSizeParameter, pageSize);
            case SyncStrategy.TimeCursor:
                // The spec rejects a time cursor without offset paging: an export must move within a run.
                var offset = (paging as PagingEmit.Offset)?.OffsetProperty
                    ?? (endpoint.Parameters.FirstOrDefault(p => p.Semantics.Kind == SemanticsKind.Offset) is { } o ? Property(endpoint, query, o.WireName, "sync") : null)
                    ?? throw new EmitModelException(endpoint.Name, "sync", "a time cursor needs an offset parameter to page within a run");
                return new SyncEmit.TimeCursor(Property(endpoint, query, sync.Parameter, "sync"), Access(contract, endpoint, model, sync.Field, "sync"), id, offset, sync.OverlapMilliseconds, fixedValues, pageSizeParameter, pageSize);
            default:
                throw new EmitModelException(endpoint.Name, "sync", $"the sync strategy {sync.Strategy} cannot be emitted with {paging.GetType().Name} paging");
        }
    }

    private static EmitModelException NoPageSize(EndpointSpec endpoint) =>
        new(endpoint.Name, "pagination", "the paging strategy needs a page-size parameter and the endpoint has none");

    /// <summary>The query property of the parameter <paramref name="wireName"/>.</summary>
    private static PropertyEmit Property(EndpointSpec endpoint, EquatableArray<ParameterEmit> query, string? wireName, string key) =>
        query.FirstOrDefault(p => p.WireName == wireName) is { } p
            ? new PropertyEmit(p.PropertyName, p.Kind)
            : throw new EmitModelException(endpoint.Name, key, $"the parameter '{wireName}' is no query or header parameter of the endpoint");

    /// <summary>The property chain that reads the field at <paramref name="path"/> from an item.</summary>
    private static FieldAccessEmit Access(ContractSpec contract, EndpointSpec endpoint, ModelSpec? model, string path, string key)
    {
        var fields = (model is null ? null : contract.ResolvePath(model, path))
            ?? throw new EmitModelException(endpoint.Name, key, $"the field '{path}' is not a field of the endpoint's items");
        return new FieldAccessEmit(
            fields.Select(f => new FieldStepEmit(f.CSharpName, f.Nullable || f.Optional)).ToEquatableArray(),
            KindOf(fields[fields.Count - 1].Type));
    }

    private static ParameterEmit BuildParameter(EndpointSpec endpoint, ParameterSpec p, string ns)
    {
        var element = ClrType(p.Type.Element, ns);
        var type = p.Type.IsArray ? $"global::System.Collections.Generic.IReadOnlyList<{element}>" : element;
        var role = p.Semantics.Kind switch
        {
            SemanticsKind.PageSize => ParameterRole.PageSize,
            SemanticsKind.CursorStart when endpoint.Pagination?.CursorParameter == p.WireName => ParameterRole.Cursor,
            SemanticsKind.Offset => ParameterRole.Offset,
            SemanticsKind.NewestN => ParameterRole.NewestN,
            SemanticsKind.PageToken => ParameterRole.PageToken,
            _ => ParameterRole.Filter,
        };
        var place = p.In switch
        {
            ParameterLocation.Header => ParameterPlace.Header,
            ParameterLocation.Path => ParameterPlace.Path,
            _ => ParameterPlace.Query,
        };
        return new ParameterEmit(
            p.WireName,
            p.CSharpName,
            ArgumentName(p.CSharpName),
            element,
            type,
            KindOf(p.Type),
            p.Type.IsArray,
            p.Separator,
            place,
            role,
            p.Minimum,
            p.Maximum,
            p.Default,
            p.Description)
        {
            RelativeDefault = p.RelativeDefault?.Describe(),
        };
    }

    private static IEnumerable<PathSegmentEmit> Segments(string path, List<ParameterEmit> parameters)
    {
        var index = 0;
        while (index < path.Length)
        {
            var open = path.IndexOf('{', index);
            if (open < 0)
            {
                yield return new PathSegmentEmit(path.Substring(index), false);
                yield break;
            }

            if (open > index)
            {
                yield return new PathSegmentEmit(path.Substring(index, open - index), false);
            }

            var close = path.IndexOf('}', open);
            var name = path.Substring(open + 1, close - open - 1);
            yield return new PathSegmentEmit(parameters.First(p => p.WireName == name).ArgumentName, true);
            index = close + 1;
        }
    }

    internal static ValueKind KindOf(TypeRef type) => type.Kind switch
    {
        TypeKind.Int32 => ValueKind.Int32,
        TypeKind.Int64 => ValueKind.Int64,
        TypeKind.Number => ValueKind.Number,
        TypeKind.Boolean => ValueKind.Boolean,
        TypeKind.String => ValueKind.String,
        TypeKind.Date => ValueKind.Date,
        TypeKind.Json => ValueKind.Json,
        TypeKind.Model => ValueKind.Model,
        TypeKind.Enum => ValueKind.Enum,
        TypeKind.Timestamp => type.Encoding switch
        {
            TimestampEncoding.IsoLocal => ValueKind.IsoLocal,
            TimestampEncoding.IsoUtc => ValueKind.IsoUtc,
            TimestampEncoding.Iso => ValueKind.Iso,
            TimestampEncoding.EpochNanos => ValueKind.EpochNanos,
            _ => ValueKind.EpochMillis,
        },
        _ => ValueKind.Json,
    };

    internal static string ClrType(TypeRef type, string ns) => KindOf(type) switch
    {
        ValueKind.String => "string",
        ValueKind.Int32 => "int",
        ValueKind.Int64 => "long",
        ValueKind.Number => "double",
        ValueKind.Boolean => "bool",
        ValueKind.Date => "global::System.DateOnly",
        ValueKind.IsoLocal => "global::System.DateTime",
        ValueKind.IsoUtc or ValueKind.Iso or ValueKind.EpochMillis => "global::System.DateTimeOffset",
        ValueKind.EpochNanos => Runtime + ".Json.EpochNanoseconds",
        ValueKind.Json => "global::System.Text.Json.JsonElement",
        _ => ns + "." + type.Name,
    };

    private static string ArgumentName(string propertyName)
    {
        var name = char.ToLowerInvariant(propertyName[0]) + propertyName.Substring(1);
        return Names.IsIdentifier(name) ? name : "@" + name;
    }

    private static int? ParseInt(string? text) => int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;
}
