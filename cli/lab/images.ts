// The project's test images every lab registry carries (built by scripts/images/build-test-images.sh).
export const LOCAL_IMAGES = ['kinglet-test/busybox:1'];
