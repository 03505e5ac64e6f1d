using System.Text.Json;
using System.Text.RegularExpressions;
using EventsBindings.Spec;
using EventsBindings.Spec.Diagnostics;
using EventsBindings.Spec.Model;

namespace EventsBindings.Kit.Verify;

/// <summary>
/// Collects, over all responses of an endpoint, how the server departs from the contract: values of
/// the wrong JSON type or missing fields (errors), properties the model lacks and enum values the
/// contract does not know (drift that clients tolerate). Paths are reported once, with indexes as [*].
/// </summary>
internal sealed partial class DriftCollector
{
    private readonly ContractSpec _contract;
    private readonly SortedDictionary<string, string> _errors = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string> _undeclared = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, SortedSet<string>> _unknownEnum = new(StringComparer.Ordinal);

    public DriftCollector(ContractSpec contract) => _contract = contract;

    public int Responses { get; private set; }

    public IReadOnlyDictionary<string, string> Errors => _errors;

    public IReadOnlyDictionary<string, string> Undeclared => _undeclared;

    public IReadOnlyDictionary<string, SortedSet<string>> UnknownEnumValues => _unknownEnum;

    /// <summary>Checks a response body of the endpoint; returns the errors found in this body (JSON path → message).</summary>
    public IReadOnlyList<string> Add(EndpointSpec endpoint, string body)
    {
        Responses++;
        var problems = JsonConformance.CheckResponse(_contract, endpoint, body);
        var errors = new List<string>();
        foreach (var problem in problems)
        {
            var path = Normalize(problem.Path);
            if (problem.Severity == SpecSeverity.Error)
            {
                errors.Add(problem.Message);
                _errors.TryAdd(path, Normalize(problem.Message));
            }
            else
            {
                _undeclared.TryAdd(path, Normalize(problem.Message));
            }
        }

        if (JsonConformance.ResponseType(endpoint.Response) is { } type)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                var root = document.RootElement;
                var path = "$";
                if (endpoint.Response.Envelope is { } envelope)
                {
                    if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(envelope, out root))
                    {
                        return errors;
                    }

                    path += "." + envelope;
                }

                WalkEnums(root, type, path);
            }
            catch (JsonException)
            {
                // Reported by the conformance check already.
            }
        }

        return errors;
    }

    private void WalkEnums(JsonElement value, TypeRef type, string path)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (type.IsArray)
        {
            if (value.ValueKind == JsonValueKind.Array)
            {
                foreach (var element in value.EnumerateArray())
                {
                    WalkEnums(element, type.Element, path + "[*]");
                }
            }

            return;
        }

        if (type.Kind == TypeKind.Enum && _contract.FindEnum(type.Name!) is { } e)
        {
            if (value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
            {
                var text = ItemValues.Text(value);
                if (e.IndexOf(text) < 0)
                {
                    if (!_unknownEnum.TryGetValue(path, out var set))
                    {
                        set = new SortedSet<string>(StringComparer.Ordinal);
                        _unknownEnum[path] = set;
                    }

                    if (set.Count < 10)
                    {
                        set.Add(text + " (" + e.Name + ")");
                    }
                }
            }

            return;
        }

        if (type.Kind == TypeKind.Model && _contract.FindModel(type.Name!) is { } model && value.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in model.Fields)
            {
                if (value.TryGetProperty(field.JsonName, out var child))
                {
                    WalkEnums(child, field.Type, path + "." + field.JsonName);
                }
            }
        }
    }

    private static string Normalize(string text) => Index().Replace(text, "[*]");

    [GeneratedRegex(@"\[\d+\]")]
    private static partial Regex Index();
}
