using System.Reflection;
using EventsBindings.Spec.Diagnostics;
using EventsBindings.Spec.Model;
using Xunit;

namespace EventsBindings.Spec.Tests;

/// <summary>The model is immutable and value-equal all the way down: records, enums, strings and value-equal arrays only.</summary>
public sealed class ModelShapeTests
{
    [Fact]
    public void Model_types_hold_only_immutable_value_equal_members()
    {
        var seen = new HashSet<Type>();
        var pending = new Queue<Type>(new[] { typeof(ContractSpec), typeof(ContractParseResult), typeof(JsonProblem) });
        while (pending.Count > 0)
        {
            var type = pending.Dequeue();
            if (!seen.Add(type))
            {
                continue;
            }

            Assert.True(type.GetMethod("<Clone>$") is not null || type.IsValueType, $"{type.Name} is a record");
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                Assert.True(property.SetMethod is null || property.SetMethod.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.Name == "IsExternalInit"), $"{type.Name}.{property.Name} is init-only");
                var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(EquatableArray<>))
                {
                    t = t.GetGenericArguments()[0];
                }

                if (t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(Type))
                {
                    continue;
                }

                Assert.True(t.Namespace!.StartsWith("EventsBindings.Spec", StringComparison.Ordinal), $"{type.Name}.{property.Name} is {t}");
                Assert.False(typeof(System.Collections.IEnumerable).IsAssignableFrom(t) && !t.IsValueType, $"{type.Name}.{property.Name} is a mutable collection");
                pending.Enqueue(t);
            }
        }

        Assert.Contains(typeof(SpecDiagnostic), seen);
        Assert.Contains(typeof(FieldMockSpec), seen);
    }

    [Fact]
    public void The_spec_library_targets_netstandard_and_references_no_roslyn_or_json_library()
    {
        var assembly = typeof(ContractSpec).Assembly;
        var framework = assembly.GetCustomAttribute<System.Runtime.Versioning.TargetFrameworkAttribute>();
        Assert.Equal(".NETStandard,Version=v2.0", framework?.FrameworkName);
        var references = assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.Contains("YamlDotNet", references);
        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) || r == "System.Text.Json" || r == "System.Collections.Immutable" || r == "Newtonsoft.Json");
    }
}
