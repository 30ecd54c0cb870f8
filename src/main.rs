fn main() {
    println!("origanctl");
}
