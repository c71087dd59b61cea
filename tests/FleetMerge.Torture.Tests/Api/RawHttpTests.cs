using System.Text;
using FleetMerge.Torture.Api;

namespace FleetMerge.Torture.Tests.Api;

public class RawHttpTests
{
    [Fact]
    public void An_answer_with_a_content_length_is_read_to_that_length()
    {
        byte[] raw = Encoding.ASCII.GetBytes("HTTP/1.1 413 Payload Too Large\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 15\r\n\r\n{\"error\":\"big\"}trailing");
        var answer = RawHttp.Parse(raw, "PUT");
        Assert.Equal(413, answer.Status);
        Assert.Equal("application/json", answer.ContentType);
        Assert.Equal("big", answer.Error);
    }

    [Fact]
    public void A_chunked_answer_is_dechunked()
    {
        byte[] raw = Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n5\r\n{\"err\r\na\r\nor\":\"bad\"}\r\n0\r\n\r\n");
        var answer = RawHttp.Parse(raw, "POST");
        Assert.Equal(400, answer.Status);
        Assert.Equal("bad", answer.Error);
    }

    [Fact]
    public void An_incomplete_answer_is_named() =>
        Assert.Contains("no complete HTTP answer", Assert.Throws<InvalidOperationException>(() => RawHttp.Parse(Encoding.ASCII.GetBytes("HTTP/1.1 200"), "GET")).Message);
}
