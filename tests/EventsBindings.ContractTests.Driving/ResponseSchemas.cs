using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EventsBindings.Kit.Translation;
using EventsBindings.Spec.Model;
using NJsonSchema;

namespace EventsBindings.ContractTests.Driving;

/// <summary>
/// Validates the response bodies a client receives against the JSON Schemas the kit translates for its
/// contract (<see cref="JsonSchemaTranslator"/>): a 2xx body against the endpoint's response schema, an
/// error body against the schema of the model the contract declares for that status. Schemas are built
/// and parsed once per endpoint and status (process-wide), routes once per contract and base path; list
/// items already seen to conform are not validated again.
/// </summary>
public sealed class ResponseSchemas
{
    private static readonly ConcurrentDictionary<(string Contract, string Endpoint, int Status), Lazy<Entry>> Schemas = new();
    // Per contract instance, not per name: tests also parse modified copies of a contract under the same name, and a
    // validator built from a copy must never answer for the original (or the other way round).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ContractSpec, ConcurrentDictionary<string, ResponseSchemas>> Instances = new();

    private readonly ContractSpec _contract;
    private readonly (EndpointSpec Endpoint, Regex Path)[] _routes;

    private ResponseSchemas(ContractSpec contract, string basePath)
    {
        _contract = contract;
        // Literal paths before templated ones (a count path before an item path that would also match it).
        _routes = contract.Endpoints
            .OrderBy(e => e.Path.Count(c => c == '{'))
            .Select(e => (e, new Regex("^" + Regex.Replace(Regex.Escape(basePath + e.Path.TrimStart('/')).Replace(@"\{", "{", StringComparison.Ordinal), "{[^}/]+}", "[^/]+") + "$", RegexOptions.CultureInvariant)))
            .ToArray();
    }

    /// <summary>The validator of a contract's API served under <paramref name="apiBase"/> (such as the mock's <c>/prefix/</c>).</summary>
    public static ResponseSchemas For(ContractSpec contract, Uri apiBase)
    {
        var basePath = apiBase.AbsolutePath.TrimEnd('/') + "/";
        return Instances.GetValue(contract, static _ => new ConcurrentDictionary<string, ResponseSchemas>(StringComparer.Ordinal))
            .GetOrAdd(basePath, path => new ResponseSchemas(contract, path));
    }

    /// <summary>Responses validated in this process (all contracts), so that tests can see the validation ran.</summary>
    public static int Validated => _validated;

    private static int _validated;

    /// <summary>The endpoint a request went to, or null when no endpoint of the contract matches its method and path.</summary>
    public EndpointSpec? Match(HttpMethod method, Uri uri)
    {
        var path = uri.AbsolutePath;
        foreach (var (endpoint, regex) in _routes)
        {
            if (string.Equals(endpoint.Method, method.Method, StringComparison.OrdinalIgnoreCase) && regex.IsMatch(path))
            {
                return endpoint;
            }
        }

        return null;
    }

    /// <summary>
    /// The schema errors of a body, and the schema's name; no errors when it conforms or when the contract
    /// declares no body model for the status (the name then says so).
    /// </summary>
    /// <remarks>
    /// A list body is validated in two parts that together are the whole response schema: the body with its
    /// item array emptied (the envelope and the array's type), then each item against the schema's own
    /// <c>items</c> subschema. An item that once conformed is remembered (by its exact text), so that the
    /// same items read again on other pages and in other tests cost a lookup, not a validation: the
    /// contract tests stay fast although every response is validated.
    /// </remarks>
    public (IReadOnlyList<string> Errors, string Schema) Validate(EndpointSpec endpoint, int status, string body)
    {
        var entry = Schemas.GetOrAdd((_contract.Name, endpoint.Name, status), key => new Lazy<Entry>(() => Load(_contract, endpoint, key.Status))).Value;
        if (entry.Schema is null)
        {
            return (Array.Empty<string>(), entry.Name);
        }

        Interlocked.Increment(ref _validated);
        try
        {
            if (entry.Items is null || Split(body, endpoint.Response.Envelope) is not { } split)
            {
                return (entry.Schema.Validate(body).SelectMany(Flatten).Take(10).ToList(), entry.Name);
            }

            var errors = entry.Schema.Validate(split.Skeleton).SelectMany(Flatten).ToList();
            AddItemErrors(entry, endpoint, split.Items, errors);
            return (errors.Take(10).ToList(), entry.Name);
        }
        catch (Newtonsoft.Json.JsonException ex)
        {
            return (new[] { "not JSON: " + ex.Message }, entry.Name);
        }
    }

    /// <summary>
    /// The schema errors of items of a list endpoint read without a client (such as the universe the
    /// tests compute their expectations from), against the <c>items</c> subschema of its response schema.
    /// </summary>
    public IReadOnlyList<string> ValidateItems(EndpointSpec endpoint, IEnumerable<JsonElement> items)
    {
        var entry = Schemas.GetOrAdd((_contract.Name, endpoint.Name, 200), key => new Lazy<Entry>(() => Load(_contract, endpoint, key.Status))).Value;
        if (entry.Items is null)
        {
            throw new InvalidOperationException($"{endpoint.Name} has no item schema.");
        }

        var errors = new List<string>();
        AddItemErrors(entry, endpoint, items.Select(i => i.GetRawText()).ToList(), errors);
        return errors.Take(10).ToList();
    }

    private static void AddItemErrors(Entry entry, EndpointSpec endpoint, List<string> items, List<string> errors)
    {
        var at = endpoint.Response.Envelope is { } envelope ? "#/" + envelope : "#";
        for (var i = 0; i < items.Count && errors.Count < 10; i++)
        {
            var item = items[i];
            if (entry.Conforming.ContainsKey(item))
            {
                continue;
            }

            var itemErrors = entry.Items!.Validate(item).SelectMany(Flatten).ToList();
            if (itemErrors.Count == 0)
            {
                entry.Conforming.TryAdd(item, 0);
            }

            errors.AddRange(itemErrors.Select(e => $"{at}[{i}]{e.TrimStart('#')}"));
        }
    }

    /// <summary>The body with its item array emptied, and the items' texts; null when the body has no such array.</summary>
    private static (string Skeleton, List<string> Items)? Split(string body, string? envelope)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            JsonElement array;
            if (envelope is null)
            {
                array = root;
            }
            else if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(envelope, out array))
            {
                return null;
            }

            if (array.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                if (envelope is null)
                {
                    writer.WriteStartArray();
                    writer.WriteEndArray();
                }
                else
                {
                    writer.WriteStartObject();
                    foreach (var property in root.EnumerateObject())
                    {
                        if (property.NameEquals(envelope))
                        {
                            writer.WritePropertyName(property.Name);
                            writer.WriteStartArray();
                            writer.WriteEndArray();
                        }
                        else
                        {
                            property.WriteTo(writer);
                        }
                    }

                    writer.WriteEndObject();
                }
            }

            return (Encoding.UTF8.GetString(buffer.WrittenSpan), array.EnumerateArray().Select(i => i.GetRawText()).ToList());
        }
        catch (JsonException)
        {
            return null; // the whole-body validation says why
        }
    }

    private static IEnumerable<string> Flatten(NJsonSchema.Validation.ValidationError error) =>
        error is NJsonSchema.Validation.ChildSchemaValidationError child && child.Errors.Count > 0
            ? child.Errors.SelectMany(e => e.Value).SelectMany(Flatten)
            : new[] { $"{error.Path ?? "#"}: {error.Kind}{(error.Property is null ? string.Empty : " (" + error.Property + ")")}" };

    private static Entry Load(ContractSpec contract, EndpointSpec endpoint, int status)
    {
        if (status is >= 200 and < 300)
        {
            if (JsonSchemaTranslator.ResponseSchema(contract, endpoint) is not { } response)
            {
                return new Entry(null, null, $"no response schema for {endpoint.Name}");
            }

            var schema = Parse(response.ToJsonString());
            var payload = endpoint.Response.Envelope is { } envelope ? schema.Properties[envelope].ActualSchema : schema;
            var items = endpoint.Response.Kind == ResponseKind.List && payload.Type.HasFlag(JsonObjectType.Array) ? payload.Item?.ActualSchema : null;
            return new Entry(schema, items, $"{endpoint.Name}.response.schema.json");
        }

        return contract.ErrorsFor(endpoint).FirstOrDefault(e => e.Status == status) is { Model: { } model }
            ? new Entry(Parse(JsonSchemaTranslator.ModelSchema(contract, model).ToJsonString()), null, $"{model}.schema.json ({status})")
            : new Entry(null, null, $"no error model declared for {status}");
    }

    private static JsonSchema Parse(string json) => JsonSchema.FromJsonAsync(json).GetAwaiter().GetResult();

    /// <summary>A loaded schema: the whole response's, its items' (list responses), and the item texts known to conform.</summary>
    private sealed record Entry(JsonSchema? Schema, JsonSchema? Items, string Name)
    {
        public ConcurrentDictionary<string, byte> Conforming { get; } = new(StringComparer.Ordinal);
    }
}
