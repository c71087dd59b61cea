public class T { [Fact] public void X() => Assert.Equal(2, 1+1); }
