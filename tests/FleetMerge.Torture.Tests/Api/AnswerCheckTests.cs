using System.Text;
using FleetMerge.Torture.Api;

namespace FleetMerge.Torture.Tests.Api;

public class AnswerCheckTests
{
    private static ApiAnswer Json(int status, string body) => new(status, "application/json", Encoding.UTF8.GetBytes(body));

    [Fact]
    public void A_one_line_error_with_the_expected_status_naming_the_field_passes() =>
        Assert.Null(AnswerCheck.Refusal(Json(400, "{\"error\":\"invalid JSON body: wrong type of value at $.size_bytes\"}"), "POST lvs", 400, "size_bytes"));

    [Theory]
    [InlineData(500, "{\"error\":\"internal error: boom\"}", "expected 400, got 500")]
    [InlineData(400, "{\"message\":\"bad\"}", "without an")]
    [InlineData(400, "{\"error\":\"two\\nlines\"}", "not one line")]
    [InlineData(400, "{\"error\":\"\"}", "not one line")]
    [InlineData(400, "{\"error\":\"bad value\"}", "does not name 'size_bytes'")]
    public void A_wrong_refusal_is_named(int status, string body, string expected)
    {
        string? wrong = AnswerCheck.Refusal(Json(status, body), "POST lvs", 400, "size_bytes");
        Assert.NotNull(wrong);
        Assert.Contains(expected, wrong);
    }

    [Fact]
    public void A_refusal_that_is_not_json_is_named()
    {
        var answer = new ApiAnswer(413, null, []);
        Assert.Contains("content type", AnswerCheck.Refusal(answer, "PUT data", [413, 400]));
    }

    [Fact]
    public void Every_bad_header_differs_from_the_real_one()
    {
        string token = new('a', 64);
        var headers = AuthAbuse.BadHeaders(token, new Random(1));
        Assert.DoesNotContain($"Bearer {token}", headers);
        Assert.Contains(null, headers);
        Assert.Contains($"Bearer {token.ToUpperInvariant()}", headers);
    }

    [Fact]
    public void The_shell_names_all_aim_at_the_canary()
    {
        var shell = BadNames.Shell("/tmp/canary/pwned").ToList();
        Assert.True(shell.Count >= 5);
        Assert.All(shell, n => Assert.Contains("/tmp/canary/pwned", n));
    }
}
