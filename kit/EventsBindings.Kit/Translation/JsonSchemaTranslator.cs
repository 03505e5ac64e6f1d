using System.Text.Json.Nodes;
using EventsBindings.Spec;
using EventsBindings.Spec.Model;

namespace EventsBindings.Kit.Translation;

/// <summary>
/// Writes JSON Schemas (draft-07) for the models and the endpoint responses of a contract.
/// Enums are open (known values are documented, unknown ones accepted), optional fields are not
/// <c>required</c>, nullable ones admit <c>null</c>, and objects admit properties the model does not
/// declare (vendors add fields).
/// </summary>
public static class JsonSchemaTranslator
{
    /// <summary>The meta-schema the written schemas declare.</summary>
    public const string MetaSchema = "http://json-schema.org/draft-07/schema#";

    private const string DefinitionsKeyword = "definitions";

    /// <summary>The schema of one model, with every model and enum it reaches under <c>definitions</c>.</summary>
    /// <exception cref="ArgumentException">The contract has no such model.</exception>
    public static JsonObject ModelSchema(ContractSpec contract, string modelName)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var model = contract.FindModel(modelName) ?? throw new ArgumentException($"The contract '{contract.Name}' has no model '{modelName}'.", nameof(modelName));
        var root = new JsonObject
        {
            ["$schema"] = MetaSchema,
            ["title"] = $"{contract.Name} {model.Name}",
        };
        foreach (var entry in ObjectSchema(contract, model))
        {
            root[entry.Key] = entry.Value?.DeepClone();
        }

        var reachable = JsonTypes.Reachable(contract, model.Fields.Select(f => f.Type));
        AddDefinitions(contract, root, reachable);
        return root;
    }

    /// <summary>The schema of a next link's field from its <paramref name="index"/>th name on: objects down to a string or null (absent or null: no next page).</summary>
    private static JsonObject NextLinkField(EquatableArray<string> segments, int index) => index == segments.Count
        ? new JsonObject { ["type"] = new JsonArray("string", "null"), ["description"] = "The next page (a URL or a token); absent, null or empty: none." }
        : new JsonObject { ["type"] = new JsonArray("object", "null"), ["properties"] = new JsonObject { [segments[index]] = NextLinkField(segments, index + 1) } };

    /// <summary>
    /// The schema of a response body of <paramref name="endpoint"/>: its envelope, and the list, item,
    /// count or token inside. Null when the endpoint declares no response type.
    /// </summary>
    public static JsonObject? ResponseSchema(ContractSpec contract, EndpointSpec endpoint)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(endpoint);
        var type = JsonConformance.ResponseType(endpoint.Response);
        if (type is null)
        {
            return null;
        }

        var payload = TypeSchema(contract, type, nullable: false);
        if (endpoint.Response.Kind == ResponseKind.Count)
        {
            payload["minimum"] = 0;
            if (endpoint.Response.Cap is { } cap)
            {
                payload["maximum"] = cap;
                payload["description"] = $"The number of matching items; {cap} means {cap} or more.";
            }
        }

        JsonObject root;
        if (endpoint.Response.Envelope is { } envelope)
        {
            var properties = new JsonObject { [envelope] = payload };
            if (endpoint.Pagination?.NextLink?.Field is { } field)
            {
                // The next link's field beside the items, by its property names (a name may hold a dot: @odata.nextLink).
                properties[field.Segments[0]] = NextLinkField(field.Segments, 1);
            }

            root = new JsonObject
            {
                ["type"] = "object",
                ["properties"] = properties,
                ["required"] = new JsonArray(envelope),
                ["additionalProperties"] = true,
            };
        }
        else
        {
            root = payload;
        }

        var result = new JsonObject
        {
            ["$schema"] = MetaSchema,
            ["title"] = $"{contract.Name} {endpoint.Name} response",
            ["description"] = $"{endpoint.Method} {endpoint.Path}: {endpoint.Summary ?? endpoint.Response.Kind.ToString()}",
        };
        foreach (var entry in root.ToList())
        {
            root.Remove(entry.Key);
            result[entry.Key] = entry.Value;
        }

        AddDefinitions(contract, result, JsonTypes.Reachable(contract, new[] { type }));
        return result;
    }

    /// <summary>
    /// Writes <c>&lt;outDir&gt;/&lt;Contract&gt;/&lt;Model&gt;.schema.json</c> for every model and
    /// <c>&lt;Endpoint&gt;.response.schema.json</c> for every endpoint.
    /// </summary>
    /// <returns>The paths written.</returns>
    public static IReadOnlyList<string> Write(ContractSpec contract, string outDir)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var dir = Path.Combine(outDir, JsonTypes.SafeFileName(contract.Name));
        Directory.CreateDirectory(dir);
        var written = new List<string>();
        foreach (var model in contract.Models)
        {
            var path = Path.Combine(dir, JsonTypes.SafeFileName(model.Name) + ".schema.json");
            File.WriteAllText(path, JsonTypes.ToJson(ModelSchema(contract, model.Name)));
            written.Add(path);
        }

        foreach (var endpoint in contract.Endpoints)
        {
            if (ResponseSchema(contract, endpoint) is { } schema)
            {
                var path = Path.Combine(dir, JsonTypes.SafeFileName(endpoint.Name) + ".response.schema.json");
                File.WriteAllText(path, JsonTypes.ToJson(schema));
                written.Add(path);
            }
        }

        return written;
    }

    /// <summary>The schema of a type (inline for scalars and arrays, a reference for models and enums).</summary>
    internal static JsonObject TypeSchema(ContractSpec contract, TypeRef type, bool nullable)
    {
        if (type.IsArray)
        {
            return new JsonObject
            {
                ["type"] = nullable ? new JsonArray("array", "null") : "array",
                ["items"] = TypeSchema(contract, type.Element, nullable: false),
            };
        }

        switch (type.Kind)
        {
            case TypeKind.Model:
            case TypeKind.Enum:
                var reference = new JsonObject { ["$ref"] = $"#/{DefinitionsKeyword}/{type.Name}" };
                return nullable ? new JsonObject { ["anyOf"] = new JsonArray(reference, new JsonObject { ["type"] = "null" }) } : reference;
            case TypeKind.Json:
                return new JsonObject { ["description"] = "Any JSON value." };
            default:
                var shape = JsonTypes.Scalar(type.Kind, type.Encoding);
                var schema = new JsonObject { ["type"] = nullable ? new JsonArray(shape.JsonType, "null") : shape.JsonType };
                if (shape.Format is not null)
                {
                    schema["format"] = shape.Format;
                }

                if (shape.Pattern is not null)
                {
                    schema["pattern"] = shape.Pattern;
                }

                if (shape.Minimum is { } min)
                {
                    schema["minimum"] = min;
                }

                if (shape.Maximum is { } max)
                {
                    schema["maximum"] = max;
                }

                if (shape.Encoding is not null)
                {
                    schema["x-encoding"] = shape.Encoding;
                }

                return schema;
        }
    }

    /// <summary>The object schema of a model (properties, required, additional properties allowed).</summary>
    internal static JsonObject ObjectSchema(ContractSpec contract, ModelSpec model)
    {
        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var field in model.Fields)
        {
            var schema = TypeSchema(contract, field.Type, field.Nullable);
            if (field.Description is not null)
            {
                schema["description"] = field.Description;
            }

            if (field.Provenance is not null)
            {
                schema["x-provenance"] = JsonTypes.Provenance(field.Provenance);
            }

            properties[field.JsonName] = schema;
            if (!field.Optional)
            {
                required.Add(field.JsonName);
            }
        }

        var result = new JsonObject { ["type"] = "object" };
        if (model.Description is not null)
        {
            result["description"] = model.Description;
        }

        result["properties"] = properties;
        if (required.Count > 0)
        {
            result["required"] = required;
        }

        result["additionalProperties"] = true;
        if (model.Provenance is not null)
        {
            result["x-provenance"] = JsonTypes.Provenance(model.Provenance);
        }

        return result;
    }

    /// <summary>The schema of an open enum: its JSON type, with the known values documented but not enforced.</summary>
    internal static JsonObject EnumSchema(EnumSpec e)
    {
        var jsonType = JsonTypes.EnumJsonType(e);
        var known = new JsonArray();
        var examples = new JsonArray();
        foreach (var value in e.Values)
        {
            var node = JsonTypes.ScalarValue(e.UnderlyingType, TimestampEncoding.None, value.Value);
            examples.Add(node);
            var entry = new JsonObject { ["value"] = node?.DeepClone(), ["name"] = value.CSharpName };
            if (value.Description is not null)
            {
                entry["description"] = value.Description;
            }

            known.Add(entry);
        }

        var schema = new JsonObject
        {
            ["type"] = jsonType,
            ["description"] = (e.Description is null ? string.Empty : e.Description + " ") + "Open enum: values not listed in x-known-values are valid and are preserved.",
            ["examples"] = examples,
            ["x-known-values"] = known,
            ["x-open-enum"] = true,
        };
        if (e.Ordered)
        {
            schema["x-ordered"] = true;
        }

        if (e.CaseInsensitive)
        {
            schema["x-case-insensitive"] = true;
        }

        if (e.Provenance is not null)
        {
            schema["x-provenance"] = JsonTypes.Provenance(e.Provenance);
        }

        return schema;
    }

    private static void AddDefinitions(ContractSpec contract, JsonObject root, (List<ModelSpec> Models, List<EnumSpec> Enums) reachable)
    {
        if (reachable.Models.Count == 0 && reachable.Enums.Count == 0)
        {
            return;
        }

        var definitions = new JsonObject();
        foreach (var model in reachable.Models)
        {
            var schema = ObjectSchema(contract, model);
            var titled = new JsonObject { ["title"] = model.Name };
            foreach (var entry in schema.ToList())
            {
                schema.Remove(entry.Key);
                titled[entry.Key] = entry.Value;
            }

            definitions[model.Name] = titled;
        }

        foreach (var e in reachable.Enums)
        {
            var schema = EnumSchema(e);
            var titled = new JsonObject { ["title"] = e.Name };
            foreach (var entry in schema.ToList())
            {
                schema.Remove(entry.Key);
                titled[entry.Key] = entry.Value;
            }

            definitions[e.Name] = titled;
        }

        root[DefinitionsKeyword] = definitions;
    }
}
