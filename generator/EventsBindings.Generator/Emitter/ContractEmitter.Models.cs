using EventsBindings.Generator.Model;

namespace EventsBindings.Generator.Emitter;

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
        w.Line($"[global::System.Text.Json.Serialization.JsonConverter(typeof({model.Name}JsonConverter))]");
        w.Open($"public sealed partial class {model.Name}");
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
        w.Line("/// (see <c>EventsPage.Drift</c>); <see cref=\"WriteJson\"/> then writes it back unchanged. Null otherwise.");
        w.Line("/// </summary>");
        w.Line("public global::System.Text.Json.JsonElement? OriginalJson => _additionalProperties?.Original;");
        w.Line();
        EmitReader(w, model);
        w.Line();
        EmitWriter(w, model);
        w.Line();
        EmitCreateCore(w, model);
        w.Close();
        w.Line();
        w.Line($"/// <summary>System.Text.Json converter for <see cref=\"{model.Name}\"/>, without reflection.</summary>");
        w.Line(GeneratedCode);
        w.Open($"public sealed class {model.Name}JsonConverter : global::System.Text.Json.Serialization.JsonConverter<{model.Name}>");
        w.Line("/// <inheritdoc />");
        w.Line($"public override {model.Name} Read(ref global::System.Text.Json.Utf8JsonReader reader, global::System.Type typeToConvert, global::System.Text.Json.JsonSerializerOptions options) => {model.Name}.ReadJson(ref reader);");
        w.Line();
        w.Line("/// <inheritdoc />");
        w.Line($"public override void Write(global::System.Text.Json.Utf8JsonWriter writer, {model.Name} value, global::System.Text.Json.JsonSerializerOptions options) => value.WriteJson(writer);");
        w.Close();
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

    private static void EmitReader(SourceWriter w, ModelEmit model)
    {
        w.Line($"/// <summary>Reads a {model.Name} from the reader's current token (the start of the object).</summary>");
        w.Line("/// <param name=\"reader\">The reader, on <c>{</c>; left on the matching <c>}</c>.</param>");
        w.Line("/// <remarks>In a tolerant <see cref=\"global::EventsBindings.Runtime.Json.JsonReadScope\"/> a value that does not fit is reported as drift and the object keeps its JSON (<see cref=\"OriginalJson\"/>); otherwise it fails.</remarks>");
        w.Line($"/// <exception cref=\"{Runtime}.Json.JsonPayloadException\">The payload does not match the contract (reading strictly); the message names the JSON path and field.</exception>");
        w.Open($"public static {model.Name} ReadJson(ref global::System.Text.Json.Utf8JsonReader reader)");
        w.Line($"{Runtime}.Json.JsonRead.Expect(ref reader, global::System.Text.Json.JsonTokenType.StartObject, {SourceLiterals.Quote(model.Name)});");
        w.Line("var start__ = reader; // to keep the object's JSON if a value departs from the contract");
        w.Line($"var mark__ = {Runtime}.Json.JsonRead.DriftMark;");
        w.Line($"var result = new {model.Name}();");
        var required = model.Fields.Where(f => !f.Optional).ToList();
        for (var i = 0; i < required.Count; i++)
        {
            w.Line($"var seen{required[i].PropertyName} = false;");
        }

        w.Line($"{Runtime}.Json.JsonExtensionData? extra = null;");
        w.Line("string? property = null;");
        w.Open("try");
        w.Line("var expected = 0;");
        w.Open("while (reader.Read() && reader.TokenType != global::System.Text.Json.JsonTokenType.EndObject)");
        w.Line("var index = JsonPropertyIndex(ref reader, expected);");
        w.Open("switch (index)");
        for (var i = 0; i < model.Fields.Count; i++)
        {
            var field = model.Fields[i];
            w.Line($"case {i.ToString(System.Globalization.CultureInfo.InvariantCulture)}:");
            w.Indent();
            w.Line($"property = {SourceLiterals.Quote(field.JsonName)};");
            w.Line("reader.Read();");
            w.Line($"result.{BackingField(field)} = {ReadExpression(field, model.Name)};");
            if (field.Optional)
            {
                w.Line($"result.{PresenceField(field)} = true;");
            }
            else
            {
                w.Line($"seen{field.PropertyName} = true;");
            }

            w.Line("expected = index + 1;");
            w.Line("break;");
            w.Outdent();
        }

        w.Line("default:");
        w.Indent();
        w.Line("property = reader.GetString();");
        w.Line("reader.Read();");
        w.Line($"(extra ??= new {Runtime}.Json.JsonExtensionData()).Read(ref reader, property!);");
        w.Line("break;");
        w.Outdent();
        w.Close();
        w.Line();
        w.Line("property = null;");
        w.Close();
        w.Close();
        w.Open($"catch ({Runtime}.Json.JsonPayloadException ex) when (property is not null)");
        w.Line("throw ex.WithParent(property);");
        w.Close();
        w.Line();
        foreach (var field in required)
        {
            w.Line($"if (!seen{field.PropertyName})");
            w.Line("{");
            w.Line($"    {Runtime}.Json.JsonRead.Missing(ref reader, {SourceLiterals.Quote(model.Name)}, {SourceLiterals.Quote(field.JsonName)});");
            w.Line("}");
            w.Line();
        }

        w.Line($"if ({Runtime}.Json.JsonRead.DriftMark != mark__)");
        w.Line("{");
        w.Line($"    extra = {Runtime}.Json.JsonRead.KeepJson(start__, extra);");
        w.Line("}");
        w.Line();
        w.Line("result._additionalProperties = extra;");
        w.Line("return result;");
        w.Close();
        w.Line();
        EmitPropertyIndex(w, model);
    }

    /// <summary>
    /// The index of the property name at the reader in contract order, or -1. Payloads nearly always
    /// list properties in one fixed order, so the property after the last one read is tried first: one
    /// comparison per property instead of a scan over the names; otherwise (a property skipped or out of
    /// order) only the names of the same UTF-8 length are compared.
    /// </summary>
    private static void EmitPropertyIndex(SourceWriter w, ModelEmit model)
    {
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
        w.Open("private static int JsonPropertyIndex(ref global::System.Text.Json.Utf8JsonReader reader, int expected)");
        if (model.Fields.Count > 0)
        {
            w.Line($"var name = {Runtime}.Json.JsonRead.Utf8Text(ref reader);");
            w.Open("switch (expected)");
            for (var i = 0; i < model.Fields.Count; i++)
            {
                var index = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                w.Line($"case {index}:");
                w.Indent();
                EmitUtf8Match(w, "name", model.Fields[i].JsonName, index);
                w.Line("break;");
                w.Outdent();
            }

            w.Close();
            w.Line();
            EmitUtf8Switch(w, "name", model.Fields.Select((f, i) => (f.JsonName, i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList());
            w.Line();
        }

        w.Line("return -1;");
        w.Close();
    }

    private static string ReadExpression(FieldEmit field, string modelName)
    {
        var fieldName = SourceLiterals.Quote(modelName + "." + field.JsonName);
        var nullable = field.Nullable;
        if (field.IsArray)
        {
            // Elements that are models are read as they stand: the array reader checks each is an object.
            var element = field.Kind == ValueKind.Model
                ? $"{field.ElementType}.ReadJson(ref r)"
                : ElementRead(field, fieldName, nullable: false).Replace("ref reader", "ref r");
            var reader = field.Kind == ValueKind.Model ? "ObjectArray" : "Array";
            var list = $"{Runtime}.Json.JsonRead.{reader}<{field.ElementType}>(ref reader, {fieldName}, static (ref global::System.Text.Json.Utf8JsonReader r) => {element})";
            return nullable ? $"reader.TokenType == global::System.Text.Json.JsonTokenType.Null ? null : {list}" : list;
        }

        return ElementRead(field, fieldName, nullable);
    }

    private static string ElementRead(FieldEmit field, string fieldName, bool nullable)
    {
        var orNull = nullable ? "OrNull" : string.Empty;
        var clrType = field.ElementType;
        const string IsNull = "reader.TokenType == global::System.Text.Json.JsonTokenType.Null";
        switch (field.Kind)
        {
            case ValueKind.Model:
                // A value that is not an object: null where the contract allows it, else an empty model (tolerant reading).
                var read = $"reader.TokenType == global::System.Text.Json.JsonTokenType.StartObject ? {clrType}.ReadJson(ref reader) : ";
                return nullable
                    ? $"{IsNull} ? null : {read}{Runtime}.Json.JsonRead.NotAnObject<{clrType}?>(ref reader, {fieldName}, null)"
                    : $"{read}{Runtime}.Json.JsonRead.NotAnObject(ref reader, {fieldName}, new {clrType}())";
            case ValueKind.Enum:
                // default(T?), not null: a null literal in a conditional with a struct would not be a Nullable<T>.
                var parse = $"{clrType}.ReadJson(ref reader, {fieldName})";
                return nullable ? $"{IsNull} ? default({clrType}?) : {parse}" : parse;
            case ValueKind.Json:
                return $"{Runtime}.Json.JsonRead.Json(ref reader, {fieldName})";
            case ValueKind.EpochMillis or ValueKind.EpochNanos when field.UnitUncertain:
                return $"{Runtime}.Json.JsonRead.{field.Kind}AnyUnit{orNull}(ref reader, {fieldName})";
            default:
                return $"{Runtime}.Json.JsonRead.{field.Kind}{orNull}(ref reader, {fieldName})";
        }
    }

    private static void EmitWriter(SourceWriter w, ModelEmit model)
    {
        w.Line("/// <summary>Writes this object as JSON: declared properties in contract order, then the additional ones (or, when it was read with drift, the server's JSON as it came).</summary>");
        w.Line("/// <param name=\"writer\">The writer.</param>");
        w.Open("public void WriteJson(global::System.Text.Json.Utf8JsonWriter writer)");
        w.Line("if (_additionalProperties?.Original is { } json__)");
        w.Line("{");
        w.Line("    json__.WriteTo(writer);");
        w.Line("    return;");
        w.Line("}");
        w.Line();
        w.Line("writer.WriteStartObject();");
        foreach (var field in model.Fields)
        {
            var access = BackingField(field);
            if (field.Optional)
            {
                w.Line($"if ({PresenceField(field)})");
                w.Line("{");
                w.Indent();
            }

            w.Line($"writer.WritePropertyName({SourceLiterals.Utf8(field.JsonName)});");
            if (field.Nullable || field.Optional)
            {
                w.Line($"if ({access} is {{ }} {access}Value)");
                w.Line("{");
                w.Line("    " + WriteStatement(field, access + "Value"));
                w.Line("}");
                w.Line("else");
                w.Line("{");
                w.Line("    writer.WriteNullValue();");
                w.Line("}");
            }
            else
            {
                w.Line(WriteStatement(field, access));
            }

            if (field.Optional)
            {
                w.Outdent();
                w.Line("}");
            }

            w.Line();
        }

        w.Line("AdditionalProperties?.WriteTo(writer);");
        w.Line("writer.WriteEndObject();");
        w.Close();
    }

    private static string WriteStatement(FieldEmit field, string value)
    {
        if (field.IsArray)
        {
            return $"{Runtime}.Json.JsonWrite.Array(writer, {value}, static (global::System.Text.Json.Utf8JsonWriter w, {field.ElementType} item) => {ElementWrite(field.Kind, "item").TrimEnd(';').Replace("(writer", "(w").Replace("writer.", "w.")});";
        }

        return ElementWrite(field.Kind, value);
    }

    private static string ElementWrite(ValueKind kind, string value) => kind switch
    {
        ValueKind.String => $"writer.WriteStringValue({value})",
        ValueKind.Int32 or ValueKind.Int64 or ValueKind.Number => $"writer.WriteNumberValue({value})",
        ValueKind.Boolean => $"writer.WriteBooleanValue({value})",
        ValueKind.Model or ValueKind.Enum => $"{value}.WriteJson(writer)",
        ValueKind.Json => $"{value}.WriteTo(writer)",
        _ => $"{Runtime}.Json.JsonWrite.{kind}(writer, {value})",
    } + ";";

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
