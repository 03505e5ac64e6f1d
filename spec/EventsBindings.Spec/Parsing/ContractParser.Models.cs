using EventsBindings.Spec.Diagnostics;
using EventsBindings.Spec.Model;
using EventsBindings.Spec.Yaml;

namespace EventsBindings.Spec.Parsing;

/// <summary>The parser's <c>enums</c> and <c>models</c> parts: values, fields, their types, nullability and mock hints.</summary>
internal sealed partial class ContractParser
{
    private void ReadEnums(YMapping? mapping)
    {
        if (mapping is null)
        {
            return;
        }

        var underlying = new Dictionary<string, TypeKind>(StringComparer.Ordinal)
        {
            ["string"] = TypeKind.String,
            ["int32"] = TypeKind.Int32,
            ["int64"] = TypeKind.Int64,
        };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in mapping.Entries)
        {
            if (!seen.Add(entry.Key.Value))
            {
                continue;
            }

            if (entry.Value is not YMapping node)
            {
                _context.Error(DiagnosticIds.WrongType, $"The enum '{entry.Key.Value}' must be a mapping, not {entry.Value.KindName}.", entry.Value);
                continue;
            }

            var reader = new MapReader(_context, node, $"the enum '{entry.Key.Value}'", ContractKeys.Enum);
            var type = reader.Choice("type", underlying, required: true);
            var caseInsensitive = reader.Bool("caseInsensitive");
            var values = new List<EnumValueSpec>();
            var valueTexts = new HashSet<string>(caseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
            var valueNames = new HashSet<string>(StringComparer.Ordinal);
            var sequence = reader.Sequence("values", required: true);
            foreach (var item in sequence?.Items ?? new List<YNode>())
            {
                if (item is not YMapping valueNode)
                {
                    _context.Error(DiagnosticIds.WrongType, $"An enum value is a mapping with 'value' and 'csharp', not {item.KindName}.", item);
                    continue;
                }

                var valueReader = new MapReader(_context, valueNode, $"a value of the enum '{entry.Key.Value}'", ContractKeys.EnumValue);
                var value = valueReader.Scalar("value", required: true);
                if (value is null)
                {
                    continue;
                }

                if (type is TypeKind.Int32 or TypeKind.Int64 && !long.TryParse(value.Value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _))
                {
                    _context.Error(DiagnosticIds.WrongType, $"The enum '{entry.Key.Value}' is of type {type.ToString()!.ToLowerInvariant()}; '{MapReader.Truncate(value.Value)}' is not an integer.", value);
                    continue;
                }

                var csharp = ReadIdentifier(valueReader, "csharp", required: false, fallback: null) ?? Names.ToPascalCase(value.Value);
                if (!valueTexts.Add(value.Value))
                {
                    _context.Error(DiagnosticIds.DuplicateName, $"The value '{value.Value}' appears twice in the enum '{entry.Key.Value}'.", value);
                    continue;
                }

                if (!valueNames.Add(csharp))
                {
                    _context.Error(DiagnosticIds.DuplicateName, $"The C# name '{csharp}' appears twice in the enum '{entry.Key.Value}'.", valueReader.Node("csharp") ?? value);
                    continue;
                }

                values.Add(new EnumValueSpec(value.Value, csharp, valueReader.String("description"), _context.ReadProvenance(valueReader.Node("provenance"))));
            }

            if (type is { } t)
            {
                _enums.Add(new EnumSpec(entry.Key.Value, t, reader.Bool("ordered"), caseInsensitive, reader.String("description"), _context.ReadProvenance(reader.Node("provenance")), values.ToEquatableArray())
                {
                    Closed = reader.Bool("closed"),
                });
            }
        }
    }

    private void ReadModels(YMapping? mapping)
    {
        if (mapping is null)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in mapping.Entries)
        {
            if (!seen.Add(entry.Key.Value))
            {
                continue;
            }

            if (entry.Value is not YMapping node)
            {
                _context.Error(DiagnosticIds.WrongType, $"The model '{entry.Key.Value}' must be a mapping, not {entry.Value.KindName}.", entry.Value);
                continue;
            }

            var what = $"the model '{entry.Key.Value}'";
            var reader = new MapReader(_context, node, what, ContractKeys.Model);
            var fields = new List<FieldSpec>();
            var jsonNames = new HashSet<string>(StringComparer.Ordinal);
            var csharpNames = new HashSet<string>(StringComparer.Ordinal) { entry.Key.Value };
            foreach (var item in reader.Sequence("fields", required: true)?.Items ?? new List<YNode>())
            {
                if (item is not YMapping fieldNode)
                {
                    _context.Error(DiagnosticIds.WrongType, $"A field of {what} is a mapping, not {item.KindName}.", item);
                    continue;
                }

                var field = ReadField(fieldNode, what, entry.Key.Value);
                if (field is null)
                {
                    continue;
                }

                if (!jsonNames.Add(field.JsonName))
                {
                    _context.Error(DiagnosticIds.DuplicateName, $"The field '{field.JsonName}' appears twice in {what}.", fieldNode.Find("json") ?? fieldNode);
                    continue;
                }

                if (!csharpNames.Add(field.CSharpName))
                {
                    _context.Error(DiagnosticIds.DuplicateName, $"The C# name '{field.CSharpName}' appears twice in {what} (or equals the model's name).", fieldNode.Find("csharp") ?? fieldNode.Find("json") ?? fieldNode);
                    continue;
                }

                fields.Add(field);
            }

            var rates = reader.Map("mock") is { } mockNode ? ReadRates(new MapReader(_context, mockNode, $"the mock hints of {what}", ContractKeys.ModelMock)) : null;
            _models.Add(new ModelSpec(entry.Key.Value, reader.String("description"), _context.ReadProvenance(reader.Node("provenance")), fields.ToEquatableArray(), rates));
        }

        // Mock hints that name sibling fields can be checked once the model is complete.
        foreach (var entry in mapping.Entries)
        {
            if (entry.Value is YMapping node && _models.Find(m => m.Name == entry.Key.Value) is { } model)
            {
                CheckSiblingHints(node, model);
            }
        }
    }

    private FieldSpec? ReadField(YMapping node, string modelWhat, string modelName)
    {
        var reader = new MapReader(_context, node, $"a field of {modelWhat}", ContractKeys.Field);
        var json = reader.String("json", required: true);
        var type = ReadType(reader);
        var csharp = ReadIdentifier(reader, "csharp", required: false) ?? (json is null ? null : Names.ToPascalCase(json));
        var nullable = reader.Bool("nullable");
        var optional = reader.Bool("optional");
        var mock = reader.Map("mock") is { } mockNode ? ReadFieldMock(mockNode, type, nullable, optional, modelName) : null;
        if (json is null || csharp is null)
        {
            return null;
        }

        var unitUncertain = reader.Bool("unitUncertain");
        if (unitUncertain && type is not null && type.Encoding is not (TimestampEncoding.EpochMillis or TimestampEncoding.EpochNanos))
        {
            _context.Error(DiagnosticIds.InvalidValue, "'unitUncertain' applies only to timestamps with an epoch encoding (epochMillis, epochNanos).", reader.Node("unitUncertain") ?? node);
            unitUncertain = false;
        }

        return new FieldSpec(json, csharp, type ?? Unresolved, nullable, optional, reader.String("description"), _context.ReadProvenance(reader.Node("provenance")), mock)
        {
            UnitUncertain = unitUncertain,
        };
    }

    private FieldMockSpec ReadFieldMock(YMapping node, TypeRef? type, bool nullable, bool optional, string modelName)
    {
        var reader = new MapReader(_context, node, "a field's mock hints", ContractKeys.FieldMock);
        var generate = reader.Scalar("generate");
        if (generate is not null && !MockGenerators.Names.Contains(generate.Value))
        {
            _context.Error(DiagnosticIds.InvalidValue, $"'{MapReader.Truncate(generate.Value)}' is not a mock generator; expected one of {string.Join(", ", MockGenerators.Names)}{Suggest.DidYouMean(generate.Value, MockGenerators.Names)}.", generate);
            generate = null;
        }

        var nullRate = Rate(reader, "nullRate");
        if (nullRate > 0 && !nullable)
        {
            _context.Error(
                DiagnosticIds.InvalidValue,
                optional ? "'nullRate' needs a nullable field; this one is only optional: use 'absentRate'." : "'nullRate' needs a field that is nullable; this one is neither nullable nor optional.",
                reader.Node("nullRate")!);
        }

        var absentRate = Rate(reader, "absentRate");
        if (absentRate > 0 && !optional)
        {
            _context.Error(DiagnosticIds.InvalidValue, "'absentRate' needs a field that is optional; this one is not.", reader.Node("absentRate")!);
        }

        var fractionDigits = reader.Long("fractionDigits");
        if (fractionDigits is < 0 or > 7)
        {
            _context.Error(DiagnosticIds.OutOfBounds, "'fractionDigits' must lie between 0 and 7 (a .NET tick is the seventh digit).", reader.Node("fractionDigits")!);
            fractionDigits = null;
        }
        else if (fractionDigits is not null && type is not null && (type.Kind != TypeKind.Timestamp || type.Encoding is not (TimestampEncoding.Iso or TimestampEncoding.IsoLocal or TimestampEncoding.IsoUtc)))
        {
            _context.Error(DiagnosticIds.InvalidValue, "'fractionDigits' applies to timestamps with an ISO encoding (iso, isoLocal, isoUtc).", reader.Node("fractionDigits")!);
            fractionDigits = null;
        }

        var values = reader.ScalarList("values");
        if (type is not null)
        {
            foreach (var value in values)
            {
                CheckValueOfType(value, type.Element, caseInsensitive: false, "a mock value");
            }
        }

        if (reader.Scalar("from") is { } from)
        {
            _fromHints.Add((modelName, type, from));
        }

        return new FieldMockSpec(
            values.Select(v => v.Value).ToEquatableArray(),
            generate?.Value,
            nullRate,
            reader.String("describes"),
            reader.String("copyOf"),
            reader.String("from"),
            absentRate,
            (int?)fractionDigits);
    }

    /// <summary>A probability between 0 and 1 (EB1009 beyond), or null when the key is absent or not a number.</summary>
    private double? Rate(MapReader reader, string key)
    {
        var rate = reader.Double(key);
        if (rate is < 0 or > 1)
        {
            _context.Error(DiagnosticIds.OutOfBounds, $"'{key}' is a probability between 0 and 1.", reader.Node(key)!);
            return null;
        }

        return rate;
    }

    /// <summary>The <c>nullRate</c> and <c>absentRate</c> of a model's or the dataset's mock hints, or null when neither is set.</summary>
    private MockRatesSpec? ReadRates(MapReader reader)
    {
        var nullRate = Rate(reader, "nullRate");
        var absentRate = Rate(reader, "absentRate");
        return nullRate is null && absentRate is null ? null : new MockRatesSpec(nullRate, absentRate);
    }

    /// <summary>
    /// Checks a value written in YAML (a mock value, a combination, a sync setting) against a scalar
    /// type: EB1004 when it is of the wrong kind, EB1005 when it is not a value of an enum.
    /// </summary>
    private void CheckValueOfType(YScalar value, TypeRef type, bool caseInsensitive, string what)
    {
        if (type.IsArray || type.Kind is TypeKind.Json or TypeKind.String)
        {
            return;
        }

        if (type.Kind == TypeKind.Model)
        {
            _context.Error(DiagnosticIds.WrongType, $"{Capitalize(what)} cannot be a scalar: the type is the model '{type.Name}'.", value);
            return;
        }

        if (type.Kind == TypeKind.Enum)
        {
            var e = _enums.Find(x => x.Name == type.Name);
            if (e is not null && e.IndexOf(value.Value) < 0 && !(caseInsensitive && e.Values.Any(v => string.Equals(v.Value, value.Value, StringComparison.OrdinalIgnoreCase))))
            {
                _context.Error(DiagnosticIds.InvalidValue, $"{Capitalize(what)} '{MapReader.Truncate(value.Value)}' is not a value of the enum '{e.Name}'{Suggest.DidYouMean(value.Value, e.Values.Select(v => v.Value))}.", value);
            }

            return;
        }

        if (!JsonShapeChecker.FitsText(value.Value, type.Kind, type.Encoding))
        {
            _context.Error(DiagnosticIds.WrongType, $"{Capitalize(what)} '{MapReader.Truncate(value.Value)}' is not {type}{(type.Encoding == TimestampEncoding.None ? string.Empty : " (" + type.Encoding + ")")}.", value);
        }
    }

    private void CheckSiblingHints(YMapping modelNode, ModelSpec model)
    {
        var fieldsNode = modelNode.Find("fields") as YSequence;
        var copies = new Dictionary<string, string>(StringComparer.Ordinal);
        var copyNodes = new Dictionary<string, YScalar>(StringComparer.Ordinal);
        foreach (var item in fieldsNode?.Items ?? new List<YNode>())
        {
            if (item is not YMapping fieldNode || fieldNode.Find("mock") is not YMapping mockNode)
            {
                continue;
            }

            var self = (fieldNode.Find("json") as YScalar)?.Value;
            foreach (var hint in mockNode.Entries)
            {
                if (hint.Key.Value is not ("describes" or "copyOf") || hint.Value is not YScalar target || target.IsNull)
                {
                    continue;
                }

                var sibling = model.FindField(target.Value);
                if (sibling is null)
                {
                    _context.Error(DiagnosticIds.UnknownField, $"'{hint.Key.Value}' names '{MapReader.Truncate(target.Value)}', which is not a field of the model '{model.Name}'{Suggest.DidYouMean(target.Value, model.Fields.Select(f => f.JsonName))}.", target);
                }
                else if (sibling.JsonName == self)
                {
                    _context.Error(DiagnosticIds.InvalidValue, $"'{hint.Key.Value}' names the field itself ('{self}').", target);
                }
                else if (hint.Key.Value == "describes" && sibling.Type.Kind != TypeKind.Enum && !IsUnresolved(sibling.Type))
                {
                    _context.Error(DiagnosticIds.SemanticsMismatch, $"'describes' needs an enum field; '{sibling.JsonName}' is {sibling.Type}.", target);
                }
                else if (hint.Key.Value == "copyOf" && self is not null)
                {
                    copies[self] = sibling.JsonName;
                    copyNodes[self] = target;
                }
            }
        }

        // A chain of copies that comes back to its start would leave the mock without a value.
        var inReportedCycle = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in copies.Keys)
        {
            if (inReportedCycle.Contains(start))
            {
                continue;
            }

            var current = start;
            for (var steps = 0; steps <= copies.Count && copies.TryGetValue(current, out var next); steps++)
            {
                if (next == start)
                {
                    _context.Error(DiagnosticIds.InvalidValue, $"'copyOf' of '{start}' forms a cycle of copies in the model '{model.Name}'.", copyNodes[start]);
                    for (var member = start; inReportedCycle.Add(member) && copies.TryGetValue(member, out var following);)
                    {
                        member = following;
                    }

                    break;
                }

                current = next;
            }
        }
    }
}
