// One file of about 440 lines on purpose: one pure mapping from the validated contract to the emit model, member by member; its parts (names, types, paging and sync accessors) call each other.
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

        string Property(string? wireName) => wireName is null ? null! : parameters.First(p => p.WireName == wireName).PropertyName;

        var pagination = endpoint.Pagination;
        var paging = endpoint.Response.Kind == ResponseKind.List ? pagination?.Strategy.ToString() ?? "None" : "None";
        var pageSizeParameter = pagination?.PageSizeParameter is { } ps ? endpoint.FindParameter(ps) : endpoint.Parameters.FirstOrDefault(p => p.Semantics.Kind == SemanticsKind.PageSize);
        var defaultPageSize = ParseInt(pageSizeParameter?.Default) ?? (pageSizeParameter?.Maximum is { } max ? (int)Math.Min(max, int.MaxValue) : 100);
        var pageSizeRead = pageSizeParameter is null ? null
            : pageSizeParameter.Type.Kind == TypeKind.Int32 ? $"baseQuery.{pageSizeParameter.CSharpName} ?? {defaultPageSize}"
            : $"checked((int)(baseQuery.{pageSizeParameter.CSharpName} ?? {defaultPageSize}))";

        string? cursorAccessor = null;
        string? cursorStart = null;
        string? cursorAssign = null;
        if (pagination?.Strategy == PaginationStrategy.Cursor && model is not null && pagination.CursorField is { } cursorField
            && pagination.CursorParameter is { } cursorWire && endpoint.FindParameter(cursorWire) is { } cursorParameter)
        {
            // The spec holds the field and the parameter to one unit: an integer, epoch ms or epoch ns.
            cursorAccessor = Accessor(contract, model, cursorField, AccessorUse.Int64);
            cursorStart = ToCursor(cursorParameter, "baseQuery." + cursorParameter.CSharpName);
            cursorAssign = FromCursor(cursorParameter, "cursor", millis: false);
        }

        var newestN = endpoint.Parameters.FirstOrDefault(p => p.Semantics.Kind == SemanticsKind.NewestN);

        string? sync = null;
        string? syncCursorProperty = null;
        string? syncFieldAccessor = null;
        string? syncIdAccessor = null;
        string? syncCursorAssign = null;
        var fixedValues = new List<FixedValueEmit>();
        if (endpoint.Sync is { Strategy: SyncStrategy.NextLink } linkSync && model is not null && pagination?.Strategy == PaginationStrategy.NextLink)
        {
            sync = linkSync.Strategy.ToString();
            syncIdAccessor = Accessor(contract, model, linkSync.DedupBy ?? linkSync.Field, AccessorUse.Text);
            foreach (var (value, onlyWhenUnset) in linkSync.Set.Select(v => (v, false)).Concat(linkSync.Defaults.Select(v => (v, true))))
            {
                if (parameters.Exists(p => p.WireName == value.Name))
                {
                    var parameter = endpoint.FindParameter(value.Name)!;
                    fixedValues.Add(new FixedValueEmit(Property(value.Name), Literal(parameter.Type, value.Value, ns), onlyWhenUnset));
                }
            }
        }
        else if (endpoint.Sync is { } s && s.Strategy != SyncStrategy.NextLink && model is not null)
        {
            sync = s.Strategy.ToString();
            syncCursorProperty = Property(s.Parameter);
            syncFieldAccessor = Accessor(contract, model, s.Field, s.Strategy == SyncStrategy.TimeCursor ? AccessorUse.EpochMillis : AccessorUse.Int64);
            syncIdAccessor = Accessor(contract, model, s.DedupBy ?? s.Field, AccessorUse.Text);
            syncCursorAssign = FromCursor(endpoint.FindParameter(s.Parameter)!, s.Strategy == SyncStrategy.TimeCursor ? "after" : "cursor", millis: s.Strategy == SyncStrategy.TimeCursor);
            foreach (var (value, onlyWhenUnset) in s.Set.Select(v => (v, false)).Concat(s.Defaults.Select(v => (v, true))))
            {
                var parameter = endpoint.FindParameter(value.Name)!;
                fixedValues.Add(new FixedValueEmit(Property(value.Name), Literal(parameter.Type, value.Value, ns), onlyWhenUnset));
            }
        }

        var maximum = pageSizeParameter?.Maximum;
        var syncPageSize = (int)Math.Min(maximum ?? 1000, 1000);

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
            pageSizeParameter is null ? null : Property(pageSizeParameter.WireName),
            pagination?.CursorParameter is { } cp ? Property(cp) : null,
            cursorAccessor,
            cursorStart,
            cursorAssign,
            pageSizeRead,
            syncIdAccessor ?? $"{Runtime}.Paging.Pager.Fingerprint(item, static (i, w) => i.WriteJson(w))",
            pagination?.CursorNext != CursorNext.Last,
            pagination?.OffsetParameter is { } op ? Property(op) : null,
            newestN is null ? null : Property(newestN.WireName),
            pagination?.Stop == StopRule.EmptyPage,
            defaultPageSize,
            sync,
            syncCursorProperty,
            syncFieldAccessor,
            syncIdAccessor,
            syncCursorAssign,
            endpoint.Sync?.OverlapMilliseconds ?? 0,
            syncPageSize,
            fixedValues.ToEquatableArray(),
            endpoint.Errors.Select(e => new ErrorEmit(e.Status, e.Meaning)).ToEquatableArray())
        {
            NextLinkHeader = pagination?.NextLink?.Header,
            NextLinkRel = pagination?.NextLink?.Rel,
            NextLinkField = pagination?.NextLink?.Field,
            NextLinkTokenWire = pagination?.NextLink?.Parameter,
            NextLinkTokenPlace = pagination?.NextLink?.Parameter is { } tokenWire && endpoint.FindParameter(tokenWire) is { In: ParameterLocation.Header } ? ParameterPlace.Header : ParameterPlace.Query,
        };
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

    private enum AccessorUse
    {
        Int64,
        EpochMillis,
        Text,
    }

    /// <summary>A C# expression over <c>item</c> that reads the field at <paramref name="path"/>.</summary>
    private static string Accessor(ContractSpec contract, ModelSpec model, string path, AccessorUse use)
    {
        var fields = contract.ResolvePath(model, path)!;
        var expression = "item";
        var nullable = false;
        foreach (var field in fields)
        {
            expression += (nullable ? "?." : ".") + field.CSharpName;
            nullable |= field.Nullable || field.Optional;
        }

        var last = fields[fields.Count - 1];
        var kind = KindOf(last.Type);
        switch (use)
        {
            // A cursor (Int64) over a timestamp is its epoch milliseconds, or its nanoseconds for epochNanos;
            // a time cursor (EpochMillis) is always milliseconds.
            case AccessorUse.EpochMillis or AccessorUse.Int64 when kind is ValueKind.EpochMillis or ValueKind.IsoUtc or ValueKind.Iso:
            case AccessorUse.EpochMillis when kind is ValueKind.EpochNanos:
                return nullable ? $"({expression}?.ToUnixTimeMilliseconds() ?? 0L)" : $"{expression}.ToUnixTimeMilliseconds()";
            case AccessorUse.EpochMillis or AccessorUse.Int64 when kind is ValueKind.IsoLocal:
                return nullable ? $"(({expression}) is {{ }} t ? new global::System.DateTimeOffset(t.Ticks, global::System.TimeSpan.Zero).ToUnixTimeMilliseconds() : 0L)" : $"new global::System.DateTimeOffset({expression}.Ticks, global::System.TimeSpan.Zero).ToUnixTimeMilliseconds()";
            case AccessorUse.Int64 when kind is ValueKind.EpochNanos:
                return nullable ? $"({expression}?.Value ?? 0L)" : $"{expression}.Value";
            case AccessorUse.EpochMillis:
            case AccessorUse.Int64:
                return nullable ? $"(long)({expression} ?? 0)" : $"(long){expression}";
            default:
                return kind switch
                {
                    ValueKind.String => nullable ? $"({expression} ?? string.Empty)" : $"({expression} ?? string.Empty)",
                    _ => nullable ? $"({expression}?.ToString() ?? string.Empty)" : $"{expression}.ToString()",
                };
        }
    }

    /// <summary>The value of a cursor parameter held in <paramref name="expression"/>, as the runtime's 64-bit cursor (epoch ms for timestamps, ns for epochNanos).</summary>
    private static string ToCursor(ParameterSpec parameter, string expression) => KindOf(parameter.Type) switch
    {
        ValueKind.EpochMillis or ValueKind.IsoUtc or ValueKind.Iso => $"{expression}?.ToUnixTimeMilliseconds()",
        ValueKind.IsoLocal => $"({expression} is {{ }} start ? new global::System.DateTimeOffset(start.Ticks, global::System.TimeSpan.Zero).ToUnixTimeMilliseconds() : (long?)null)",
        ValueKind.EpochNanos => $"{expression}?.Value",
        ValueKind.Number => $"(long?){expression}",
        _ => expression,
    };

    /// <summary>
    /// The runtime's 64-bit cursor in the variable <paramref name="variable"/> as a value of the parameter's type;
    /// with <paramref name="millis"/> the cursor is epoch milliseconds (a time cursor), else it is in the parameter's own unit.
    /// </summary>
    private static string FromCursor(ParameterSpec parameter, string variable, bool millis) => KindOf(parameter.Type) switch
    {
        ValueKind.Int32 => $"(int?){variable}",
        ValueKind.EpochMillis or ValueKind.IsoUtc or ValueKind.Iso => $"{variable} is {{ }} ms ? global::System.DateTimeOffset.FromUnixTimeMilliseconds(ms) : null",
        ValueKind.IsoLocal => $"{variable} is {{ }} ms ? global::System.DateTimeOffset.FromUnixTimeMilliseconds(ms).DateTime : null",
        ValueKind.EpochNanos => millis
            ? $"{variable} is {{ }} ms ? new {Runtime}.Json.EpochNanoseconds(checked(ms * 1_000_000L)) : null"
            : $"{variable} is {{ }} ns ? new {Runtime}.Json.EpochNanoseconds(ns) : null",
        _ => variable,
    };

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

    /// <summary>
    /// A C# expression of the parameter's CLR type for a value written in the contract (a sync's
    /// <c>set</c>); the spec has already checked that the text fits the type.
    /// </summary>
    private static string Literal(TypeRef type, string value, string ns)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        switch (KindOf(type))
        {
            case ValueKind.Int32 or ValueKind.Int64 or ValueKind.Number:
                return value;
            case ValueKind.Boolean:
                return value.ToLowerInvariant();
            case ValueKind.Enum:
                return $"{ns}.{type.Name}.Parse({SourceLiterals.Quote(value)})";
            case ValueKind.Date:
                var date = DateTime.ParseExact(value, "yyyy-MM-dd", invariant, System.Globalization.DateTimeStyles.None);
                return $"new global::System.DateOnly({date.Year}, {date.Month}, {date.Day})";
            case ValueKind.IsoLocal:
                var local = DateTime.Parse(value, invariant, System.Globalization.DateTimeStyles.RoundtripKind);
                return $"new global::System.DateTime({local.Ticks.ToString(invariant)}L, global::System.DateTimeKind.Unspecified)";
            case ValueKind.IsoUtc:
                var utc = DateTime.Parse(value, invariant, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);
                return $"new global::System.DateTimeOffset({utc.Ticks.ToString(invariant)}L, global::System.TimeSpan.Zero)";
            case ValueKind.Iso:
                var offset = DateTimeOffset.Parse(value, invariant, System.Globalization.DateTimeStyles.None);
                return $"new global::System.DateTimeOffset({offset.Ticks.ToString(invariant)}L, global::System.TimeSpan.FromMinutes({((long)offset.Offset.TotalMinutes).ToString(invariant)}))";
            case ValueKind.EpochMillis:
                return $"global::System.DateTimeOffset.FromUnixTimeMilliseconds({value}L)";
            case ValueKind.EpochNanos:
                return $"new {Runtime}.Json.EpochNanoseconds({value}L)";
            default:
                return SourceLiterals.Quote(value);
        }
    }

    private static string ArgumentName(string propertyName)
    {
        var name = char.ToLowerInvariant(propertyName[0]) + propertyName.Substring(1);
        return Names.IsIdentifier(name) ? name : "@" + name;
    }

    private static int? ParseInt(string? text) => int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;
}
