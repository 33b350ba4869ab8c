package org.phare.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The image registry")
class ImagesTest {
    @Test
    @DisplayName("runs the http-echo kind with HttpEcho")
    void httpEcho() {
        assertThat(Images.mainClass("http-echo")).isEqualTo(HttpEcho.class.getName());
        assertThat(Images.kindOfMainClass(HttpEcho.class.getName())).hasValue("http-echo");
        assertThat(Images.kinds()).containsExactly("http-echo");
    }

    @Test
    @DisplayName("refuses an unknown kind with a message naming the known kinds")
    void unknownKind() {
        assertThatThrownBy(() -> Images.mainClass("qemu"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown image kind 'qemu': the process driver knows http-echo");
        assertThat(Images.kindOfMainClass("java.lang.String")).isEmpty();
    }
}
