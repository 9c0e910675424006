using System.Reflection;
using System.Runtime.CompilerServices;
using ContributionIndex.Diagnostics;
using ContributionIndex.Pipeline;
using ContributionIndex.Studies;
using ContributionIndex.Tests.Valuation;

namespace ContributionIndex.Tests.Pipeline;

public class StudyRunTests
{
    /// <summary>OneCountry's study with its survey input mapped and present, so that the input checks pass.</summary>
    private static Study Valid(Func<Study, Study> change)
    {
        var study = TestStudies.OneCountry(TestStudies.ExampleWages, s => change(s with
        {
            Inputs = [s.Inputs[0] with { Columns = new Dictionary<string, string> { ["person_id"] = "id", ["weight"] = "w", ["hours"] = "h" } }],
        }));
        File.WriteAllText(study.ResolvePath("survey.csv"), "id,w,h\n");
        return study;
    }

    [Fact]
    public void A_study_built_in_code_passes_the_loaders_checks_before_it_runs()
    {
        var valid = Valid(s => s);
        Assert.Same(valid, StudyRun.Of(valid).Study);
        var study = Valid(s => s with { Estimation = s.Estimation with { ConfidenceLevel = 1.5 } });
        var error = Assert.Throws<StudyFileException>(() => StudyRun.Of(study));
        Assert.Contains("confidence_level must be between 0 and 1", error.Message, StringComparison.Ordinal);

        var duplicate = Valid(s => s with { Countries = [s.Countries[0], s.Countries[0]] });
        Assert.Contains("appears twice", Assert.Throws<StudyFileException>(() => StudyRun.Of(duplicate)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_study_model_cannot_be_changed_after_it_is_built()
    {
        var types = typeof(Study).Assembly.GetTypes().Where(t => t.Namespace == "ContributionIndex.Studies" && t.IsPublic && t.IsClass
            && t.GetMethod("<Clone>$") is not null).ToList();
        Assert.Contains(typeof(Study), types);
        Assert.Contains(typeof(InputSpec), types);
        foreach (var type in types)
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var setter = property.GetSetMethod(nonPublic: false);
                if (setter is not null)
                {
                    // A public setter must be init-only (the compiler marks it with the IsExternalInit modifier).
                    Assert.True(setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit)), $"{type.Name}.{property.Name} has a public set accessor.");
                }

                var propertyType = property.PropertyType;
                if (propertyType.IsGenericType)
                {
                    var definition = propertyType.GetGenericTypeDefinition();
                    Assert.False(definition == typeof(List<>) || definition == typeof(Dictionary<,>), $"{type.Name}.{property.Name} exposes a mutable collection.");
                }
            }
        }
    }
}
