using EventsBindings.Spec.Model;

namespace EventsBindings.Generator.Model;

// Value-equal records that hold exactly what the emitter writes: names, C# types and wire facts,
// computed once by the Parser. No Roslyn symbols, syntax nodes or locations (they would defeat caching).

/// <summary>Everything generated for one contract.</summary>
internal sealed record ContractEmit(
    string HintPrefix,
    string Namespace,
    string ApiName,
    string ClientName,
    string Title,
    string? Description,
    string? Docs,
    EquatableArray<ServerEmit> Servers,
    EquatableArray<SchemeEmit> Schemes,
    EquatableArray<ErrorEmit> Errors,
    EquatableArray<EnumEmit> Enums,
    EquatableArray<ModelEmit> Models,
    EquatableArray<EndpointEmit> Endpoints)
{
    /// <summary>The typed SCIM filter builders (one static class per item model and attribute set of a scim parameter).</summary>
    public EquatableArray<FilterEmit> Filters { get; init; } = EquatableArray<FilterEmit>.Empty;

    /// <summary>The rate-limit headers the contract declares, or null.</summary>
    public RateLimitEmit? RateLimit { get; init; }
}

/// <summary>The declared rate-limit headers (<c>rateLimit</c>); <paramref name="ResetKind"/> names a RateLimitResetKind member.</summary>
internal sealed record RateLimitEmit(string? Limit, string? Remaining, string Reset, string ResetKind);

/// <summary>One typed attribute of a filter builder: a static property of an attribute type.</summary>
internal sealed record FilterAttributeEmit(string PropertyName, string Path, string TypeDescription, string AttributeType, string Construction, string? Description);

/// <summary>A static class of typed SCIM attributes over an item model.</summary>
internal sealed record FilterEmit(string ClassName, string ModelName, string Parameters, EquatableArray<FilterAttributeEmit> Attributes);

internal sealed record ServerEmit(string Name, string Url, bool IsDefault, string? Description)
{
    /// <summary>The variables of a URL template, in URL order; empty for a fixed URL.</summary>
    public EquatableArray<ServerVariableEmit> Variables { get; init; } = EquatableArray<ServerVariableEmit>.Empty;
}

/// <summary>A variable of a server URL template: its name (also the factory's parameter name), default, description and allowed values.</summary>
internal sealed record ServerVariableEmit(string Name, string? Default, string? Description, EquatableArray<string> Allowed);

internal sealed record SchemeEmit(string Name, string Kind, string? Header, string? ExchangePath, string? TokenField, string? Description)
{
    /// <summary>For authorization schemes: the scheme name written before the token.</summary>
    public string? AuthorizationScheme { get; init; }
}

internal sealed record ErrorEmit(int Status, string Meaning);

internal sealed record EnumValueEmit(string Name, string Literal, string? Description);

/// <summary>An open enum: a readonly struct over its wire value.</summary>
internal sealed record EnumEmit(string Name, string? Description, string ValueType, bool IsString, bool Ordered, bool CaseInsensitive, EquatableArray<EnumValueEmit> Values)
{
    /// <summary>Values beyond the listed ones are drift (reported by tolerant readers, failures of strict ones).</summary>
    public bool Closed { get; init; }
}

/// <summary>How one JSON value is read and written.</summary>
internal enum ValueKind
{
    String,
    Int32,
    Int64,
    Number,
    Boolean,
    Date,
    IsoLocal,
    IsoUtc,
    Iso,
    EpochMillis,
    EpochNanos,
    Json,
    Model,
    Enum,
}

internal sealed record FieldEmit(
    string JsonName,
    string PropertyName,
    string ElementType,
    string PropertyType,
    ValueKind Kind,
    string? TypeName,
    bool IsArray,
    bool Nullable,
    bool Optional,
    int OptionalIndex,
    string? Description)
{
    /// <summary>An epoch timestamp read in whatever unit it comes (told apart by magnitude).</summary>
    public bool UnitUncertain { get; init; }
}

internal sealed record ModelEmit(string Name, string? Description, EquatableArray<FieldEmit> Fields, int OptionalCount);

internal enum ParameterPlace
{
    Query,
    Header,
    Path,
}

internal enum ParameterRole
{
    Filter,
    PageSize,
    Cursor,
    Offset,
    NewestN,
    PageToken,
}

internal sealed record ParameterEmit(
    string WireName,
    string PropertyName,
    string ArgumentName,
    string ElementType,
    string PropertyType,
    ValueKind Kind,
    bool IsArray,
    string? Separator,
    ParameterPlace Place,
    ParameterRole Role,
    long? Minimum,
    long? Maximum,
    string? Default,
    string? Description)
{
    /// <summary>A default computed by the server from the clock or another parameter, in words (<c>7 days before until (or now when until is absent)</c>).</summary>
    public string? RelativeDefault { get; init; }

    /// <summary>For a scim parameter: the class of its typed attributes.</summary>
    public string? ScimFilterClass { get; init; }

    /// <summary>For a scim parameter: the typed property that writes the raw one, or null when its name is taken.</summary>
    public string? ExpressionProperty { get; init; }

    /// <summary>For a keywords parameter: the searched paths, for the XML docs.</summary>
    public string? KeywordFields { get; init; }
}

internal sealed record PathSegmentEmit(string Text, bool IsParameter);

/// <summary>
/// A value the sync sends: always (<paramref name="OnlyWhenUnset"/> false) or unless the caller's filter gives one;
/// <paramref name="Value"/> is the contract's text, already checked by the spec to fit the parameter's type;
/// <paramref name="TypeName"/> the enum's full C# name for enum values.
/// </summary>
internal sealed record FixedValueEmit(string PropertyName, ValueKind Kind, string? TypeName, string Value, bool OnlyWhenUnset);

/// <summary>A query property and the kind of its value.</summary>
internal sealed record PropertyEmit(string Name, ValueKind Kind);

/// <summary>One step of a field path read from an item: the C# property and whether it may be null.</summary>
internal sealed record FieldStepEmit(string Property, bool MayBeNull);

/// <summary>A field of an item (a dotted path through its models) and the kind of its last value.</summary>
internal sealed record FieldAccessEmit(EquatableArray<FieldStepEmit> Steps, ValueKind Kind);

/// <summary>The page-size parameter: its property, the default when the caller sets none and the contract's maximum.</summary>
internal sealed record PageSizeEmit(PropertyEmit Property, int Default, long? Maximum);

/// <summary>How a list endpoint pages: one case per strategy, each holding exactly what its emit needs.</summary>
internal abstract record PagingEmit
{
    private PagingEmit()
    {
    }

    /// <summary>The first empty page ends the walk (else a short page, or for next links a page naming none).</summary>
    public bool StopOnEmptyPage { get; init; }

    /// <summary>One request, one page (an unpaged list).</summary>
    public sealed record Single : PagingEmit;

    /// <summary>Skip/limit: <paramref name="Identity"/> tells a repeated page (null: the item's JSON).</summary>
    public sealed record Offset(PropertyEmit OffsetProperty, PageSizeEmit PageSize, FieldAccessEmit? Identity) : PagingEmit;

    /// <summary>A cursor parameter taken from the last item's <paramref name="Field"/> (plus one with <paramref name="LastPlusOne"/>).</summary>
    public sealed record Cursor(PropertyEmit CursorProperty, PageSizeEmit PageSize, FieldAccessEmit Field, bool LastPlusOne) : PagingEmit;

    /// <summary>
    /// The next page is named by the response: an RFC 8288 header (<paramref name="Header"/>, <paramref name="Rel"/>) or a
    /// body field (<paramref name="Field"/>); a URL, or an opaque token sent back in <paramref name="TokenWire"/>.
    /// </summary>
    public sealed record NextLink(string? Header, string? Rel, BodyPath? Field, string? TokenWire, ParameterPlace TokenPlace, PageSizeEmit? PageSize) : PagingEmit;
}

/// <summary>How a list endpoint's checkpointed export reads what is new: one case per sync strategy.</summary>
/// <remarks><paramref name="PageSizeParameter"/> takes <paramref name="PageSize"/>, the export's default items per request.</remarks>
internal abstract record SyncEmit(FieldAccessEmit Id, EquatableArray<FixedValueEmit> FixedValues, PageSizeEmit? PageSizeParameter, int PageSize)
{
    /// <summary>The next run starts at the highest <paramref name="Field"/> delivered + 1, sent in <paramref name="CursorProperty"/>.</summary>
    public sealed record IdCursor(PropertyEmit CursorProperty, FieldAccessEmit Field, FieldAccessEmit Id, EquatableArray<FixedValueEmit> FixedValues, PageSizeEmit? PageSizeParameter, int PageSize)
        : SyncEmit(Id, FixedValues, PageSizeParameter, PageSize);

    /// <summary>The next run reads after the last timestamp minus the overlap, paging by <paramref name="OffsetProperty"/>.</summary>
    public sealed record TimeCursor(PropertyEmit CursorProperty, FieldAccessEmit Field, FieldAccessEmit Id, PropertyEmit OffsetProperty, long OverlapMilliseconds, EquatableArray<FixedValueEmit> FixedValues, PageSizeEmit? PageSizeParameter, int PageSize)
        : SyncEmit(Id, FixedValues, PageSizeParameter, PageSize);

    /// <summary>The next run follows the stored next link (the endpoint's next-link paging).</summary>
    public sealed record NextLink(FieldAccessEmit Id, EquatableArray<FixedValueEmit> FixedValues, PageSizeEmit? PageSizeParameter, int PageSize)
        : SyncEmit(Id, FixedValues, PageSizeParameter, PageSize);
}

internal sealed record EndpointEmit(
    string Name,
    string Method,
    string Path,
    EquatableArray<PathSegmentEmit> Segments,
    string? Summary,
    string? Description,
    ResponseKind Kind,
    string? ModelName,
    string? Envelope,
    string QueryTypeName,
    EquatableArray<ParameterEmit> PathParameters,
    EquatableArray<ParameterEmit> QueryParameters,
    PagingEmit Paging,
    string? NewestNProperty,
    SyncEmit? Sync,
    EquatableArray<ErrorEmit> Errors);
