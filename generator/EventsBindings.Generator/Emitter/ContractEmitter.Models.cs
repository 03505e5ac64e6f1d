using EventsBindings.Generator.Model;

namespace EventsBindings.Generator.Emitter;

// Models: the class (backing fields, properties, extension data, the explicit <c>IContractJson</c> members) and
// the model factory. The JSON reader and writer of a model are in <c>ContractEmitter.ModelJson.cs</c>.
internal static partial class ContractEmitter
{
    private static void EmitModels(SourceWriter w, ContractEmit contract)
    {
        w.Indent();
        var first = true;
        foreach (var model in contract.Models)
        {
            if (!first)
            {
                w.Line();
            }

            first = false;
            EmitModel(w, model);
        }

        w.Line();
        EmitModelFactory(w, contract);
        w.Outdent();
    }

    private static void EmitModel(SourceWriter w, ModelEmit model)
    {
        w.Summary(model.Description, $"The {model.Name} model.");
        w.Line("/// <remarks>Properties the payload carries beyond the contract are kept in <see cref=\"AdditionalProperties\"/> and written back.</remarks>");
        w.Line(GeneratedCode);
        w.Line($"[global::System.Text.Json.Serialization.JsonConverter(typeof({Runtime}.Json.ContractJsonConverter<{model.Name}>))]");
        w.Open($"public sealed partial class {model.Name} : {Runtime}.Json.IContractJson<{model.Name}>");
        foreach (var field in model.Fields)
        {
            w.Line($"private {field.PropertyType} {BackingField(field)}{DefaultInitializer(field)};");
            if (field.Optional)
            {
                w.Line($"private bool {PresenceField(field)};");
            }
        }

        w.Line($"private {Runtime}.Json.JsonExtensionData? _additionalProperties;");

        foreach (var field in model.Fields)
        {
            w.Line();
            w.Summary(field.Description, $"The '{field.JsonName}' property.");
            w.Line($"/// <remarks>JSON: <c>{SourceLiterals.Xml(field.JsonName)}</c>{(field.Optional ? "; may be absent" : string.Empty)}{(field.Nullable ? "; may be null" : string.Empty)}.</remarks>");
            w.Open($"public {field.PropertyType} {field.PropertyName}");
            w.Line($"get => {BackingField(field)};");
            if (field.Optional)
            {
                w.Open("init");
                w.Line($"{BackingField(field)} = value;");
                w.Line($"{PresenceField(field)} = true;");
                w.Close();
            }
            else
            {
                w.Line($"init => {BackingField(field)} = value;");
            }

            w.Close();
        }

        w.Line();
        w.Line("/// <summary>JSON properties the contract does not declare, in arrival order; null when there were none.</summary>");
        w.Line($"public {Runtime}.Json.JsonExtensionData? AdditionalProperties {{ get => _additionalProperties is {{ Count: 0 }} ? null : _additionalProperties; init => _additionalProperties = value; }}");
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// The object's JSON as the server sent it, kept only when it departed from the contract and was read tolerantly");
        w.Line("/// (see <c>EventsPage.Drift</c>); writing the object (System.Text.Json, <see cref=\"global::EventsBindings.Runtime.Json.ContractJson\"/>, a sink) then gives it back unchanged. Null otherwise.");
        w.Line("/// </summary>");
        w.Line("public global::System.Text.Json.JsonElement? OriginalJson => _additionalProperties?.Original;");
        w.Line();
        EmitReader(w, model);
        w.Line();
        EmitWriter(w, model);
        w.Line();
        EmitCreateCore(w, model);
        w.Line();
        EmitContractJson(w, model.Name, "ReadJson(ref reader)");
        w.Close();
    }

    /// <summary>
    /// The explicit <c>IContractJson</c> members over the internal reader and writer: how code outside the
    /// user's assembly (sinks, converters, tests) reads and writes the type, with no plumbing among its members.
    /// </summary>
    private static void EmitContractJson(SourceWriter w, string type, string read)
    {
        w.Line($"static {type} {Runtime}.Json.IContractJson<{type}>.ReadJson(ref global::System.Text.Json.Utf8JsonReader reader) => {read};");
        w.Line();
        w.Line($"void {Runtime}.Json.IContractJson.WriteJson(global::System.Text.Json.Utf8JsonWriter writer) => WriteJson(writer);");
    }

    private static string BackingField(FieldEmit field) => "_" + char.ToLowerInvariant(field.PropertyName[0]) + field.PropertyName.Substring(1);

    private static string PresenceField(FieldEmit field) => "_has" + field.PropertyName;

    private static string DefaultInitializer(FieldEmit field)
    {
        if (field.Nullable || field.Optional)
        {
            return string.Empty;
        }

        if (field.IsArray)
        {
            return $" = global::System.Array.Empty<{field.ElementType}>()";
        }

        return field.Kind switch
        {
            ValueKind.String => " = string.Empty",
            ValueKind.Model => " = null!",
            _ => string.Empty,
        };
    }

    private static void EmitModelFactory(SourceWriter w, ContractEmit contract)
    {
        w.Line($"/// <summary>Creates {contract.ApiName} models for tests and mocks (every property settable, absent ones left absent).</summary>");
        w.Line(GeneratedCode);
        w.Open($"public static partial class {contract.ApiName}ModelFactory");
        var first = true;
        foreach (var model in contract.Models)
        {
            if (!first)
            {
                w.Line();
            }

            first = false;
            w.Line($"/// <summary>Creates a <see cref=\"{model.Name}\"/>.</summary>");
            foreach (var field in model.Fields)
            {
                w.Line($"/// <param name=\"{ParameterName(field).TrimStart('@')}\">{SourceLiterals.Xml(field.Description ?? field.JsonName)}</param>");
            }

            w.Line("/// <returns>The model.</returns>");
            var parameters = string.Join(", ", model.Fields.Select(f => $"{FactoryParameterType(f)} {ParameterName(f)} = default"));
            w.Line($"public static global::{contract.Namespace}.{model.Name} {model.Name}({parameters})");
            w.Line($"    => global::{contract.Namespace}.{model.Name}.CreateCore({string.Join(", ", model.Fields.Select(ParameterName))});");
        }

        w.Close();
    }

    private static void EmitCreateCore(SourceWriter w, ModelEmit model)
    {
        var parameters = string.Join(", ", model.Fields.Select(f => $"{FactoryParameterType(f)} {ParameterName(f)}"));
        w.Line("/// <summary>Builds an instance for the model factory, leaving absent what is not given.</summary>");
        w.Open($"internal static {model.Name} CreateCore({parameters})");
        w.Line($"var instance__ = new {model.Name}();");
        foreach (var field in model.Fields)
        {
            var name = ParameterName(field);
            if (field.Optional)
            {
                w.Line($"if ({name} is not null)");
                w.Line("{");
                w.Line($"    instance__.{BackingField(field)} = {name};");
                w.Line($"    instance__.{PresenceField(field)} = true;");
                w.Line("}");
            }
            else if (field.Nullable || FactoryParameterType(field) == field.PropertyType)
            {
                w.Line($"instance__.{BackingField(field)} = {name};");
            }
            else
            {
                w.Line($"instance__.{BackingField(field)} = {name} ?? {DefaultValue(field)};");
            }
        }

        w.Line("return instance__;");
        w.Close();
    }

    private static string ParameterName(FieldEmit field)
    {
        var name = char.ToLowerInvariant(field.PropertyName[0]) + field.PropertyName.Substring(1);
        return EventsBindings.Spec.Parsing.Names.IsIdentifier(name) ? name : "@" + name;
    }

    private static string FactoryParameterType(FieldEmit field) =>
        field.PropertyType.EndsWith("?", StringComparison.Ordinal) ? field.PropertyType : field.Kind is ValueKind.String or ValueKind.Model || field.IsArray ? field.PropertyType + "?" : field.PropertyType;

    private static string DefaultValue(FieldEmit field) => field.IsArray
        ? $"global::System.Array.Empty<{field.ElementType}>()"
        : field.Kind == ValueKind.String ? "string.Empty" : "null!";
}
