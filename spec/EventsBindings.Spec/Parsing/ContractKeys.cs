namespace EventsBindings.Spec.Parsing;

/// <summary>
/// The keys the parser accepts in each mapping of a contract: the one table every
/// <see cref="MapReader"/> is built from. <see cref="All"/> pairs each table with the object of
/// <c>contracts/contract.schema.json</c> that describes the same mapping, so that a test keeps the
/// schema and the parser in step.
/// </summary>
internal static class ContractKeys
{
    public static readonly string[] Contract =
    {
        "format", "name", "namespace", "title", "version", "docs", "description", "provenance", "servers", "auth",
        "security", "parameters", "enums", "models", "errors", "endpoints", "mock",
        "rateLimit",
    };

    public static readonly string[] Provenance = { "kind", "note" };

    public static readonly string[] Server = { "name", "url", "default", "description", "provenance", "variables" };

    public static readonly string[] ServerVariable = { "default", "description", "enum" };

    public static readonly string[] AuthScheme = { "kind", "header", "endpoint", "tokenField", "description", "provenance", "scheme" };

    public static readonly string[] Parameter =
    {
        "name", "csharp", "type", "encoding", "separator", "in", "required", "default", "minimum", "maximum",
        "caseInsensitive", "ignoredWhen", "semantics", "description", "provenance",
    };

    public static readonly string[] RelativeDefault = { "relativeTo", "offset" };

    public static readonly string[] Semantics = { "kind", "field", "inclusive", "caseInsensitive", "unit", "ascending", "descending", "mock",
        "attributes", "fields", "errorCode",
    };

    public static readonly string[] Enum = { "type", "ordered", "caseInsensitive", "closed", "values", "description", "provenance" };

    public static readonly string[] EnumValue = { "value", "csharp", "description", "provenance" };

    public static readonly string[] Model = { "fields", "description", "provenance", "mock" };

    public static readonly string[] ModelMock = { "nullRate", "absentRate" };

    public static readonly string[] Field = { "json", "csharp", "type", "encoding", "unitUncertain", "nullable", "optional", "description", "provenance", "mock" };

    public static readonly string[] FieldMock = { "values", "generate", "nullRate", "absentRate", "fractionDigits", "describes", "copyOf", "from" };

    public static readonly string[] Error = { "status", "meaning", "model", "body", "headers", "fields", "provenance" };

    public static readonly string[] ErrorFields = { "message", "parameter", "code" };

    public static readonly string[] Endpoint =
    {
        "name", "summary", "description", "provenance", "method", "path", "security", "parameters", "response", "order",
        "pagination", "sync", "errors", "examples",
    };

    public static readonly string[] Response = { "kind", "model", "envelope", "cap" };

    public static readonly string[] Order = { "field", "direction" };

    public static readonly string[] Pagination = { "strategy", "cursor", "offset", "pageSize", "stop", "provenance", "nextLink" };

    public static readonly string[] NextLink = { "header", "rel", "field", "parameter" };

    public static readonly string[] Cursor = { "parameter", "field", "next" };

    public static readonly string[] Sync = { "strategy", "parameter", "field", "overlap", "dedupBy", "set", "defaults", "provenance" };

    public static readonly string[] Example = { "name", "summary", "status", "request", "body", "provenance" };

    public static readonly string[] ExampleRequest = { "path", "query" };

    public static readonly string[] Mock = { "prefix", "credentials", "dataset", "combinations", "enums" };

    public static readonly string[] MockEnum = { "unknownRate", "rates", "provenance" };

    public static readonly string[] MockCredential = { "scheme", "value", "access", "description" };

    public static readonly string[] MockDataset = { "model", "id", "time", "nullRate", "absentRate", "provenance" };

    public static readonly string[] MockDatasetId = { "field", "uuid", "start", "maxStep" };

    public static readonly string[] MockDatasetTime = { "field", "days" };

    public static readonly string[] RateLimit = { "limit", "remaining", "reset", "resetKind", "provenance" };

    /// <summary>Every table with the JSON pointer of the schema object that describes its mapping.</summary>
    public static readonly (string SchemaPointer, string[] Keys)[] All =
    {
        ("#", Contract),
        ("#/definitions/provenance/oneOf/1", Provenance),
        ("#/definitions/server", Server),
        ("#/definitions/serverVariable", ServerVariable),
        ("#/definitions/authScheme", AuthScheme),
        ("#/definitions/sharedParameter", Parameter),
        ("#/definitions/inlineParameter", Parameter),
        ("#/definitions/relativeDefault", RelativeDefault),
        ("#/definitions/semantics", Semantics),
        ("#/definitions/enum", Enum),
        ("#/definitions/enumValue", EnumValue),
        ("#/definitions/model", Model),
        ("#/definitions/model/properties/mock", ModelMock),
        ("#/definitions/field", Field),
        ("#/definitions/fieldMock", FieldMock),
        ("#/definitions/error", Error),
        ("#/definitions/error/properties/fields", ErrorFields),
        ("#/definitions/endpoint", Endpoint),
        ("#/definitions/response", Response),
        ("#/definitions/order", Order),
        ("#/definitions/pagination", Pagination),
        ("#/definitions/pagination/properties/cursor", Cursor),
        ("#/definitions/pagination/properties/nextLink", NextLink),
        ("#/definitions/sync", Sync),
        ("#/definitions/example", Example),
        ("#/definitions/example/properties/request", ExampleRequest),
        ("#/definitions/mock", Mock),
        ("#/definitions/mock/properties/credentials/items", MockCredential),
        ("#/definitions/mock/properties/enums/additionalProperties", MockEnum),
        ("#/definitions/mock/properties/dataset", MockDataset),
        ("#/definitions/mock/properties/dataset/properties/id", MockDatasetId),
        ("#/definitions/mock/properties/dataset/properties/time", MockDatasetTime),
        ("#/definitions/rateLimit", RateLimit),
    };
}
