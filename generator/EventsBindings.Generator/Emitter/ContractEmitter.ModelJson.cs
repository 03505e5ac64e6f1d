using EventsBindings.Generator.Model;

namespace EventsBindings.Generator.Emitter;

// A model's JSON code: the reader (one pass, properties expected in contract order, tolerant of drift) and
// the writer (contract order, then additional properties, or the server's JSON when it was read with drift).
internal static partial class ContractEmitter
{
    private static void EmitReader(SourceWriter w, ModelEmit model)
    {
        w.Line($"/// <summary>Reads a {model.Name} from the reader's current token (the start of the object).</summary>");
        w.Line("/// <param name=\"reader\">The reader, on <c>{</c>; left on the matching <c>}</c>.</param>");
        w.Line("/// <remarks>In a tolerant <see cref=\"global::EventsBindings.Runtime.Json.JsonReadScope\"/> a value that does not fit is reported as drift and the object keeps its JSON (<see cref=\"OriginalJson\"/>); otherwise it fails.</remarks>");
        w.Line($"/// <exception cref=\"{Runtime}.Json.JsonPayloadException\">The payload does not match the contract (reading strictly); the message names the JSON path and field.</exception>");
        w.Open($"internal static {model.Name} ReadJson(ref global::System.Text.Json.Utf8JsonReader reader)");
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
        w.Open("internal void WriteJson(global::System.Text.Json.Utf8JsonWriter writer)");
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
}
