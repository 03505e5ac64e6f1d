// One file of about 790 lines on purpose: one mapping of a contract to an OpenAPI 3.1 document (paths, parameters, schemas, security, examples); its parts share the schema builder.
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventsBindings.Spec;
using EventsBindings.Spec.Model;
using Microsoft.OpenApi;
using ContractLocation = EventsBindings.Spec.Model.ParameterLocation;
using OpenApiLocation = Microsoft.OpenApi.ParameterLocation;

namespace EventsBindings.Kit.Translation;

/// <summary>Options of the OpenAPI translation.</summary>
public sealed class OpenApiTranslationOptions
{
    /// <summary>
    /// When set, the base URL of a running mock server (such as <c>http://127.0.0.1:5080</c>): the
    /// document lists <c>&lt;it&gt;&lt;mock prefix&gt;</c> as an extra server.
    /// </summary>
    public Uri? MockServerUrl { get; set; }
}

/// <summary>
/// Translates a contract into an OpenAPI 3.1 document: servers, security schemes, every endpoint
/// with typed parameters, the 200 response with its documented examples, the error responses with
/// their bodies and headers; pagination, sync and provenance as vendor extensions.
/// </summary>
public static class OpenApiTranslator
{
    private const string Json = "application/json";

    /// <summary>Builds the OpenAPI document of a contract.</summary>
    public static OpenApiDocument Build(ContractSpec contract, OpenApiTranslationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(contract);
        options ??= new OpenApiTranslationOptions();
        var document = new OpenApiDocument
        {
            Info = new OpenApiInfo
            {
                Title = contract.Title,
                Version = contract.Version ?? "1",
                Description = contract.Description,
            },
            Servers = new List<OpenApiServer>(),
            Paths = new OpenApiPaths(),
            Components = new OpenApiComponents
            {
                Schemas = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal),
                SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal),
            },
            Extensions = new Dictionary<string, IOpenApiExtension>(StringComparer.Ordinal),
        };
        if (contract.Docs is not null)
        {
            document.ExternalDocs = new OpenApiExternalDocs { Url = new Uri(contract.Docs), Description = "Vendor documentation" };
        }

        document.Extensions["x-contract-name"] = Ext(JsonValue.Create(contract.Name));
        if (contract.Provenance is not null)
        {
            document.Extensions["x-provenance"] = Ext(JsonTypes.Provenance(contract.Provenance));
        }

        foreach (var server in contract.Servers.OrderByDescending(s => s.IsDefault))
        {
            var s = new OpenApiServer { Url = server.Url, Description = server.Description ?? server.Name, Extensions = new Dictionary<string, IOpenApiExtension>() };
            s.Extensions["x-name"] = Ext(JsonValue.Create(server.Name));
            if (server.IsTemplate)
            {
                s.Variables = new Dictionary<string, OpenApiServerVariable>(StringComparer.Ordinal);
                foreach (var variable in server.Variables)
                {
                    // OpenAPI requires a default; a variable without one gets its own name and says so.
                    s.Variables[variable.Name] = new OpenApiServerVariable
                    {
                        Default = variable.Default ?? variable.Name,
                        Description = variable.Default is null
                            ? (variable.Description is null ? string.Empty : variable.Description.TrimEnd('.') + ". ") + "No default: the client must give a value."
                            : variable.Description,
                        Enum = variable.Enum.Count == 0 ? null : variable.Enum.ToList(),
                    };
                }
            }

            if (server.Provenance is not null)
            {
                s.Extensions["x-provenance"] = Ext(JsonTypes.Provenance(server.Provenance));
            }

            document.Servers.Add(s);
        }

        if (options.MockServerUrl is not null && contract.Mock is not null)
        {
            document.Servers.Add(new OpenApiServer
            {
                Url = options.MockServerUrl.ToString().TrimEnd('/') + contract.Mock.Prefix,
                Description = "EventsBindings mock server",
            });
        }

        foreach (var scheme in contract.AuthSchemes)
        {
            document.Components.SecuritySchemes[scheme.Name] = SecurityScheme(contract, scheme);
        }

        document.Security = SecurityRequirements(document, contract.Security);

        foreach (var model in contract.Models)
        {
            document.Components.Schemas[model.Name] = ObjectSchema(document, contract, model);
        }

        foreach (var e in contract.Enums)
        {
            document.Components.Schemas[e.Name] = EnumSchema(document, e);
        }

        foreach (var group in contract.Endpoints.GroupBy(e => e.Path, StringComparer.Ordinal))
        {
            var item = new OpenApiPathItem { Operations = new Dictionary<HttpMethod, OpenApiOperation>() };
            foreach (var endpoint in group)
            {
                item.Operations[new HttpMethod(endpoint.Method)] = Operation(document, contract, endpoint);
            }

            document.Paths.Add(group.Key, item);
        }

        return document;
    }

    /// <summary>The document of a contract as OpenAPI 3.1 JSON.</summary>
    public static string ToJson(ContractSpec contract, OpenApiTranslationOptions? options = null)
    {
        var document = Build(contract, options);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        var writer = new OpenApiJsonWriter(text);
        document.SerializeAsV31(writer);
        return text.ToString() + "\n";
    }

    /// <summary>Writes <c>&lt;outDir&gt;/&lt;contract&gt;.openapi.json</c>.</summary>
    /// <returns>The path written.</returns>
    public static string Write(ContractSpec contract, string outDir, OpenApiTranslationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(contract);
        Directory.CreateDirectory(outDir);
        var path = Path.Combine(outDir, JsonTypes.SafeFileName(contract.Name.ToLowerInvariant()) + ".openapi.json");
        File.WriteAllText(path, ToJson(contract, options), new UTF8Encoding(false));
        return path;
    }

    private static OpenApiSecurityScheme SecurityScheme(ContractSpec contract, AuthSchemeSpec scheme)
    {
        var result = new OpenApiSecurityScheme { Description = scheme.Description, Extensions = new Dictionary<string, IOpenApiExtension>() };
        switch (scheme.Kind)
        {
            case AuthKind.ApiKey:
                result.Type = SecuritySchemeType.ApiKey;
                result.In = OpenApiLocation.Header;
                result.Name = scheme.Header;
                break;
            case AuthKind.Basic:
                result.Type = SecuritySchemeType.Http;
                result.Scheme = "basic";
                break;
            case AuthKind.Bearer:
                result.Type = SecuritySchemeType.Http;
                result.Scheme = "bearer";
                break;
            case AuthKind.Authorization:
                // Prism and most tools know only basic/bearer/digest as http schemes: a custom scheme is an
                // API key in the Authorization header whose value starts with the scheme name.
                result.Type = SecuritySchemeType.ApiKey;
                result.In = OpenApiLocation.Header;
                result.Name = "Authorization";
                var prefix = $"Sent as 'Authorization: {scheme.AuthorizationScheme} <token>' (the header's value is the scheme name '{scheme.AuthorizationScheme}', a space and the token).";
                result.Description = scheme.Description is null ? prefix : scheme.Description + " " + prefix;
                result.Extensions["x-authorization-scheme"] = Ext(JsonValue.Create(scheme.AuthorizationScheme!));
                break;
            case AuthKind.RefreshToken:
                result.Type = SecuritySchemeType.Http;
                result.Scheme = "bearer";
                var exchange = scheme.ExchangeEndpoint is null ? null : contract.FindEndpoint(scheme.ExchangeEndpoint);
                var text = exchange is null
                    ? "A refresh token sent as bearer."
                    : $"A refresh token, sent as 'Authorization: Bearer <refresh token>' to {exchange.Method} {exchange.Path} (operation {exchange.Name}); the response's '{scheme.TokenField}' is an access token that is then sent as bearer.";
                result.Description = scheme.Description is null ? text : scheme.Description + (exchange is null ? string.Empty : $" (Exchange: operation {exchange.Name}.)");
                result.Extensions["x-token-exchange"] = Ext(Exchange(scheme, exchange));
                break;
        }

        if (scheme.Provenance is not null)
        {
            result.Extensions["x-provenance"] = Ext(JsonTypes.Provenance(scheme.Provenance));
        }

        return result;
    }

    private static JsonObject Exchange(AuthSchemeSpec scheme, EndpointSpec? exchange)
    {
        var node = new JsonObject { ["scheme"] = scheme.Name, ["operationId"] = scheme.ExchangeEndpoint, ["tokenField"] = scheme.TokenField };
        if (exchange is not null)
        {
            node["method"] = exchange.Method;
            node["path"] = exchange.Path;
        }

        return node;
    }

    private static List<OpenApiSecurityRequirement> SecurityRequirements(OpenApiDocument document, IEnumerable<string> schemes)
    {
        var result = new List<OpenApiSecurityRequirement>();
        foreach (var name in schemes)
        {
            result.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(name, document)] = new List<string>() });
        }

        return result;
    }

    private static OpenApiOperation Operation(OpenApiDocument document, ContractSpec contract, EndpointSpec endpoint)
    {
        var operation = new OpenApiOperation
        {
            OperationId = endpoint.Name,
            Summary = endpoint.Summary,
            Description = endpoint.Description,
            Parameters = new List<IOpenApiParameter>(),
            Responses = new OpenApiResponses(),
            Extensions = new Dictionary<string, IOpenApiExtension>(StringComparer.Ordinal),
        };

        if (!endpoint.Security.SequenceEqual(contract.Security))
        {
            operation.Security = SecurityRequirements(document, endpoint.Security);
        }

        foreach (var parameter in endpoint.Parameters)
        {
            foreach (var p in Parameters(document, contract, parameter))
            {
                operation.Parameters.Add(p);
            }
        }

        // 200 (and any other documented success) with the documented examples, verbatim.
        var successStatuses = endpoint.Examples.Select(e => e.Status).Where(s => s < 400).Append(200).Distinct().OrderBy(s => s);
        foreach (var status in successStatuses)
        {
            var response = new OpenApiResponse { Description = endpoint.Summary ?? "Success." };
            var schema = ResponseSchema(document, contract, endpoint);
            if (schema is not null)
            {
                var media = new OpenApiMediaType { Schema = schema };
                var examples = endpoint.Examples.Where(e => e.Status == status).ToList();
                if (examples.Count > 0)
                {
                    media.Examples = new Dictionary<string, IOpenApiExample>(StringComparer.Ordinal);
                    foreach (var example in examples)
                    {
                        media.Examples[example.Name] = Example(example);
                    }
                }

                response.Content = new Dictionary<string, OpenApiMediaType> { [Json] = media };
            }

            if (endpoint.Pagination?.NextLink is { Header: { } linkHeader } nextLink)
            {
                Header(response, linkHeader, JsonSchemaType.String, $"RFC 8288 links; the one with rel=\"{nextLink.Rel}\" is the next page's URL (absent on the last page{(endpoint.Pagination.Stop == StopRule.EmptyPage ? ", except that a polling request always gets one: an empty page ends the walk" : string.Empty)}).");
            }

            RateLimitHeaders(contract, response);
            operation.Responses[status.ToString(CultureInfo.InvariantCulture)] = response;
        }

        // Exactly the statuses the contract declares, and no `default`: a validator in front of a server
        // (Prism) then reports any other status as undocumented, which is what it is for.
        foreach (var error in contract.ErrorsFor(endpoint))
        {
            var errorResponse = ErrorResponse(document, error);
            RateLimitHeaders(contract, errorResponse);
            operation.Responses[error.Status.ToString(CultureInfo.InvariantCulture)] = errorResponse;
        }

        if (endpoint.Pagination is { } pagination)
        {
            operation.Extensions["x-pagination"] = Ext(Pagination(pagination));
        }

        if (endpoint.Sync is { } sync)
        {
            operation.Extensions["x-sync"] = Ext(Sync(sync));
        }

        if (endpoint.Order is { } order)
        {
            operation.Extensions["x-order"] = Ext(new JsonObject { ["field"] = order.Field, ["direction"] = JsonTypes.Camel(order.Direction.ToString()) });
        }

        operation.Extensions["x-response-kind"] = Ext(JsonValue.Create(JsonTypes.Camel(endpoint.Response.Kind.ToString())));
        if (endpoint.Response.Cap is { } cap)
        {
            operation.Extensions["x-count-cap"] = Ext(JsonValue.Create(cap));
        }

        foreach (var scheme in contract.AuthSchemes.Where(s => s.Kind == AuthKind.RefreshToken && s.ExchangeEndpoint == endpoint.Name))
        {
            operation.Extensions["x-token-exchange"] = Ext(Exchange(scheme, endpoint));
            operation.Description = (operation.Description is null ? string.Empty : operation.Description + " ")
                + $"This is the token exchange of the security scheme '{scheme.Name}': the response's '{scheme.TokenField}' is the access token.";
        }

        if (endpoint.Provenance is not null)
        {
            operation.Extensions["x-provenance"] = Ext(JsonTypes.Provenance(endpoint.Provenance));
        }

        return operation;
    }

    private static OpenApiExample Example(ExampleSpec example)
    {
        var result = new OpenApiExample { Summary = example.Summary, Value = ParseJson(example.Body), Extensions = new Dictionary<string, IOpenApiExtension>() };
        if ((example.RequestPath is not null || example.RequestQuery.Count > 0))
        {
            var request = new JsonObject();
            if (example.RequestPath is not null)
            {
                request["path"] = example.RequestPath;
            }

            if (example.RequestQuery.Count > 0)
            {
                var query = new JsonObject();
                foreach (var q in example.RequestQuery)
                {
                    query[q.Name] = q.Value;
                }

                request["query"] = query;
            }

            result.Extensions["x-request"] = Ext(request);
        }

        if (example.Provenance is not null)
        {
            result.Extensions["x-provenance"] = Ext(JsonTypes.Provenance(example.Provenance));
        }

        return result;
    }

    /// <summary>The contract's rate-limit headers (<c>rateLimit</c>), which the API sends on every answer.</summary>
    private static void RateLimitHeaders(ContractSpec contract, OpenApiResponse response)
    {
        if (contract.RateLimit is not { } limits)
        {
            return;
        }

        if (limits.Limit is { } limit)
        {
            Header(response, limit, JsonSchemaType.Integer, "Requests allowed in the current rate-limit window.");
        }

        if (limits.Remaining is { } remaining)
        {
            Header(response, remaining, JsonSchemaType.Integer, "Requests left in the current rate-limit window.");
        }

        Header(response, limits.Reset, JsonSchemaType.Integer, limits.ResetKind == RateLimitResetKind.EpochSeconds
            ? "When the window resets, in UTC epoch seconds; the retry hint of a 429 without Retry-After."
            : "Seconds until the window resets; the retry hint of a 429 without Retry-After.");
    }

    private static void Header(OpenApiResponse response, string name, JsonSchemaType type, string description)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.OrdinalIgnoreCase);
        if (!response.Headers.ContainsKey(name))
        {
            response.Headers[name] = new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = type } };
        }
    }

    private static OpenApiResponse ErrorResponse(OpenApiDocument document, ErrorSpec error)
    {
        var response = new OpenApiResponse { Description = error.Meaning, Extensions = new Dictionary<string, IOpenApiExtension>() };
        if (error.Model is not null || error.Body is not null)
        {
            var media = new OpenApiMediaType
            {
                Schema = error.Model is null ? new OpenApiSchema() : new OpenApiSchemaReference(error.Model, document),
            };
            if (error.Body is not null)
            {
                media.Examples = new Dictionary<string, IOpenApiExample>
                {
                    ["error"] = new OpenApiExample { Summary = error.Meaning, Value = ParseJson(error.Body) },
                };
            }

            response.Content = new Dictionary<string, OpenApiMediaType> { [Json] = media };
        }

        if (error.Headers.Count > 0)
        {
            response.Headers = new Dictionary<string, IOpenApiHeader>(StringComparer.OrdinalIgnoreCase);
            foreach (var header in error.Headers)
            {
                var isInteger = long.TryParse(header.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n);
                response.Headers[header.Name] = new OpenApiHeader
                {
                    Description = string.Equals(header.Name, "Retry-After", StringComparison.OrdinalIgnoreCase) ? "Seconds to wait before retrying." : null,
                    Schema = new OpenApiSchema { Type = isInteger ? JsonSchemaType.Integer : JsonSchemaType.String },
                    Example = isInteger ? JsonValue.Create(n) : JsonValue.Create(header.Value),
                };
            }
        }

        if (error.Provenance is not null)
        {
            response.Extensions["x-provenance"] = Ext(JsonTypes.Provenance(error.Provenance));
        }

        return response;
    }

    private static IOpenApiSchema? ResponseSchema(OpenApiDocument document, ContractSpec contract, EndpointSpec endpoint)
    {
        var type = JsonConformance.ResponseType(endpoint.Response);
        if (type is null)
        {
            return null;
        }

        var payload = TypeSchema(document, contract, type, nullable: false);
        if (endpoint.Response.Kind == ResponseKind.Count && payload is OpenApiSchema count)
        {
            count.Minimum = "0";
            if (endpoint.Response.Cap is { } cap)
            {
                count.Maximum = cap.ToString(CultureInfo.InvariantCulture);
                count.Description = $"The number of matching items; {cap} means {cap} or more.";
            }
        }

        if (endpoint.Response.Envelope is not { } envelope)
        {
            return payload;
        }

        var properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal) { [envelope] = payload };
        if (endpoint.Pagination?.NextLink?.Field is { } field)
        {
            // The next link's field beside the items, by its property names (a name may hold a dot: @odata.nextLink).
            properties[field.Segments[0]] = NextLinkField(field.Segments, 1);
        }

        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = properties,
            Required = new HashSet<string>(StringComparer.Ordinal) { envelope },
            AdditionalPropertiesAllowed = true,
        };
    }

    /// <summary>The schema of a next link's field from its <paramref name="index"/>th name on: objects down to a string or null (absent or null: no next page).</summary>
    private static OpenApiSchema NextLinkField(EquatableArray<string> segments, int index) => index == segments.Count
        ? new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = "The next page (a URL or a token); absent, null or empty: none." }
        : new OpenApiSchema
        {
            Type = JsonSchemaType.Object | JsonSchemaType.Null,
            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal) { [segments[index]] = NextLinkField(segments, index + 1) },
        };

    private static IEnumerable<OpenApiParameter> Parameters(OpenApiDocument document, ContractSpec contract, ParameterSpec parameter)
    {
        var locations = parameter.In switch
        {
            ContractLocation.Path => new[] { OpenApiLocation.Path },
            ContractLocation.Header => new[] { OpenApiLocation.Header },
            ContractLocation.QueryOrHeader => new[] { OpenApiLocation.Query, OpenApiLocation.Header },
            _ => new[] { OpenApiLocation.Query },
        };

        foreach (var location in locations)
        {
            var description = parameter.Description;
            if (parameter.RelativeDefault is { } relative)
            {
                description = (description is null ? string.Empty : description.TrimEnd() + " ") + $"Default: {relative.Describe()}.";
            }

            if (parameter.In == ContractLocation.QueryOrHeader)
            {
                var other = location == OpenApiLocation.Query ? "a header" : "a query parameter";
                description = (description is null ? string.Empty : description + " ")
                    + $"The server accepts it either as a query parameter or as a header of the same name (here as {(location == OpenApiLocation.Query ? "a query parameter" : "a header")}; {other} works too). Send one of them.";
            }

            var result = new OpenApiParameter
            {
                Name = parameter.WireName,
                In = location,
                Required = parameter.In == ContractLocation.Path || (parameter.Required && parameter.In != ContractLocation.QueryOrHeader),
                Description = description,
                Schema = ParameterSchema(document, contract, parameter),
                Extensions = new Dictionary<string, IOpenApiExtension>(StringComparer.Ordinal),
            };

            if (parameter.RelativeDefault is { } rel)
            {
                result.Extensions["x-relative-default"] = Ext(new JsonObject
                {
                    ["relativeTo"] = rel.RelativeTo ?? "now",
                    ["offset"] = IsoDuration.Format(rel.GetOffset()),
                });
            }

            if (parameter.Type.IsArray)
            {
                result.Explode = false;
                result.Style = parameter.Separator switch
                {
                    "|" when location == OpenApiLocation.Query => ParameterStyle.PipeDelimited,
                    " " when location == OpenApiLocation.Query => ParameterStyle.SpaceDelimited,
                    "," when location == OpenApiLocation.Query => ParameterStyle.Form,
                    _ => location == OpenApiLocation.Query ? ParameterStyle.Form : ParameterStyle.Simple,
                };
                if (parameter.Separator is not null)
                {
                    result.Extensions["x-separator"] = Ext(JsonValue.Create(parameter.Separator));
                }
            }

            if (parameter.Semantics.Kind != SemanticsKind.None)
            {
                result.Extensions["x-semantics"] = Ext(Semantics(parameter.Semantics));
            }

            if (parameter.IgnoredWhen.Count > 0)
            {
                result.Extensions["x-ignored-when"] = Ext(new JsonArray(parameter.IgnoredWhen.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray()));
            }

            if (parameter.CaseInsensitive)
            {
                result.Extensions["x-case-insensitive"] = Ext(JsonValue.Create(true));
            }

            if (parameter.In == ContractLocation.QueryOrHeader)
            {
                result.Extensions["x-query-or-header"] = Ext(JsonValue.Create(true));
            }

            if (parameter.Provenance is not null)
            {
                result.Extensions["x-provenance"] = Ext(JsonTypes.Provenance(parameter.Provenance));
            }

            yield return result;
        }
    }

    private static IOpenApiSchema ParameterSchema(OpenApiDocument document, ContractSpec contract, ParameterSpec parameter)
    {
        var schema = TypeSchema(document, contract, parameter.Type, nullable: false);
        var hasExtras = parameter.Default is not null || parameter.Minimum is not null || parameter.Maximum is not null;
        if (!hasExtras)
        {
            return schema;
        }

        if (schema is not OpenApiSchema concrete)
        {
            concrete = new OpenApiSchema { AllOf = new List<IOpenApiSchema> { schema } };
            schema = concrete;
        }

        if (parameter.Default is not null)
        {
            concrete.Default = JsonTypes.Value(contract, parameter.Type.Element, parameter.Default);
        }

        if (parameter.Minimum is { } min)
        {
            concrete.Minimum = min.ToString(CultureInfo.InvariantCulture);
        }

        if (parameter.Maximum is { } max)
        {
            concrete.Maximum = max.ToString(CultureInfo.InvariantCulture);
        }

        return schema;
    }

    // The schemas are mapped once, to JSON Schema (JsonSchemaTranslator); OpenAPI 3.1's schema object is JSON
    // Schema 2020-12, so the OpenAPI document takes the same nodes, read into its object model here.
    private static IOpenApiSchema TypeSchema(OpenApiDocument document, ContractSpec contract, TypeRef type, bool nullable) =>
        FromJsonSchema(document, JsonSchemaTranslator.TypeSchema(contract, type, nullable));

    private static IOpenApiSchema ObjectSchema(OpenApiDocument document, ContractSpec contract, ModelSpec model) =>
        FromJsonSchema(document, JsonSchemaTranslator.ObjectSchema(contract, model));

    private static IOpenApiSchema EnumSchema(OpenApiDocument document, EnumSpec e) =>
        FromJsonSchema(document, JsonSchemaTranslator.EnumSchema(e));

    /// <summary>
    /// A JSON Schema node of <see cref="JsonSchemaTranslator"/> as an OpenAPI schema: the keywords that mapping
    /// writes (type with null, format, pattern, bounds, items, properties, required, additionalProperties, anyOf,
    /// examples, description, <c>$ref</c> to a definition, which becomes a component reference) and its
    /// <c>x-</c> extensions.
    /// </summary>
    private static IOpenApiSchema FromJsonSchema(OpenApiDocument document, JsonObject node)
    {
        if (node["$ref"] is JsonValue reference)
        {
            var name = ((string)reference!).Split('/')[^1];
            var target = new OpenApiSchemaReference(name, document) { Description = (string?)node["description"] };
            if (!node.Any(p => p.Key.StartsWith("x-", StringComparison.Ordinal)))
            {
                return target;
            }

            // An OpenAPI reference carries only a description: a reference with extensions (a field's provenance)
            // is wrapped, so that nothing the JSON Schema says is lost.
            var wrapped = new OpenApiSchema { AllOf = new List<IOpenApiSchema> { new OpenApiSchemaReference(name, document) }, Description = (string?)node["description"] };
            CopyExtensions(node, wrapped);
            return wrapped;
        }

        var schema = new OpenApiSchema { Description = (string?)node["description"] };
        switch (node["type"])
        {
            case JsonArray types:
                schema.Type = types.Select(t => JsonType((string)t!)).Aggregate((x, y) => x | y);
                break;
            case JsonValue single:
                schema.Type = JsonType((string)single!);
                break;
        }

        schema.Format = (string?)node["format"];
        schema.Pattern = (string?)node["pattern"];
        schema.Minimum = node["minimum"]?.ToJsonString();
        schema.Maximum = node["maximum"]?.ToJsonString();
        if (node["items"] is JsonObject items)
        {
            schema.Items = FromJsonSchema(document, items);
        }

        if (node["properties"] is JsonObject properties)
        {
            schema.Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
            foreach (var (name, property) in properties)
            {
                schema.Properties[name] = FromJsonSchema(document, property!.AsObject());
            }
        }

        if (node["required"] is JsonArray required)
        {
            schema.Required = new HashSet<string>(required.Select(r => (string)r!), StringComparer.Ordinal);
        }

        if (node["additionalProperties"] is JsonValue additional)
        {
            schema.AdditionalPropertiesAllowed = (bool)additional!;
        }

        if (node["anyOf"] is JsonArray anyOf)
        {
            schema.AnyOf = anyOf.Select(a => FromJsonSchema(document, a!.AsObject())).ToList();
        }

        if (node["examples"] is JsonArray examples)
        {
            schema.Examples = examples.Select(e => e!.DeepClone()).ToList();
        }

        CopyExtensions(node, schema);
        return schema;
    }

    private static void CopyExtensions(JsonObject node, OpenApiSchema schema)
    {
        foreach (var (key, value) in node.Where(p => p.Key.StartsWith("x-", StringComparison.Ordinal)))
        {
            schema.Extensions ??= new Dictionary<string, IOpenApiExtension>(StringComparer.Ordinal);
            schema.Extensions[key] = Ext(value!.DeepClone());
        }
    }

    private static JsonObject Pagination(PaginationSpec pagination)
    {
        var node = new JsonObject { ["strategy"] = JsonTypes.Camel(pagination.Strategy.ToString()) };
        if (pagination.Strategy == PaginationStrategy.Cursor)
        {
            node["cursor"] = new JsonObject
            {
                ["parameter"] = pagination.CursorParameter,
                ["field"] = pagination.CursorField,
                ["next"] = JsonTypes.Camel(pagination.CursorNext.ToString()),
            };
        }

        if (pagination.OffsetParameter is not null)
        {
            node["offset"] = pagination.OffsetParameter;
        }

        if (pagination.PageSizeParameter is not null)
        {
            node["pageSize"] = pagination.PageSizeParameter;
        }

        node["stop"] = JsonTypes.Camel(pagination.Stop.ToString());
        if (pagination.Provenance is not null)
        {
            node["provenance"] = JsonTypes.Provenance(pagination.Provenance);
        }

        return node;
    }

    private static JsonObject Sync(SyncSpec sync)
    {
        var node = new JsonObject
        {
            ["strategy"] = JsonTypes.Camel(sync.Strategy.ToString()),
            ["parameter"] = sync.Parameter,
            ["field"] = sync.Field,
        };
        if (sync.Strategy == SyncStrategy.TimeCursor)
        {
            node["overlap"] = sync.OverlapMilliseconds;
        }

        if (sync.DedupBy is not null)
        {
            node["dedupBy"] = sync.DedupBy;
        }

        foreach (var (key, values) in new[] { ("set", sync.Set), ("defaults", sync.Defaults) })
        {
            if (values.Count > 0)
            {
                var map = new JsonObject();
                foreach (var value in values)
                {
                    map[value.Name] = value.Value;
                }

                node[key] = map;
            }
        }

        if (sync.Provenance is not null)
        {
            node["provenance"] = JsonTypes.Provenance(sync.Provenance);
        }

        return node;
    }

    private static JsonObject Semantics(SemanticsSpec semantics)
    {
        var node = new JsonObject { ["kind"] = semantics.Kind == SemanticsKind.EqualTo ? "equals" : JsonTypes.Camel(semantics.Kind.ToString()) };
        if (semantics.Field is not null)
        {
            node["field"] = semantics.Field;
        }

        if (semantics.Kind is SemanticsKind.GreaterThan or SemanticsKind.LessThan)
        {
            node["inclusive"] = semantics.Inclusive;
        }

        if (semantics.CaseInsensitive)
        {
            node["caseInsensitive"] = true;
        }

        if (semantics.Kind == SemanticsKind.RelativeWindow)
        {
            node["unit"] = JsonTypes.Camel(semantics.Unit.ToString());
        }

        if (semantics.Kind == SemanticsKind.SortOrder)
        {
            node["ascending"] = semantics.Ascending;
            node["descending"] = semantics.Descending;
        }

        return node;
    }

    private static JsonSchemaType JsonType(string name) => name switch
    {
        "integer" => JsonSchemaType.Integer,
        "number" => JsonSchemaType.Number,
        "boolean" => JsonSchemaType.Boolean,
        "object" => JsonSchemaType.Object,
        "array" => JsonSchemaType.Array,
        "null" => JsonSchemaType.Null,
        _ => JsonSchemaType.String,
    };

    private static JsonNode? ParseJson(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    private static JsonNodeExtension Ext(JsonNode node) => new(node);
}
